// Which columns deidentify removes and which it pseudonymises, recognised by name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace clinflow_deidentify {

/// Lower-case copy of a column name (names are matched case-insensitively).
std::string lower(std::string_view name);

/// True for a HIPAA Safe Harbor direct identifier (name, address, phone, email, SSN, MRN,
/// account, licence, vehicle, device, URL, IP, biometric, photo ...) or a free-text column
/// (note, comments, text ...), matched on the whole lower-cased name.
bool is_direct_identifier(std::string_view column_name);

/// True for a patient / stay / encounter join key of the known data sets (subject_id, hadm_id,
/// stay_id, patientunitstayid, uniquepid, patient_nbr, encounter_id ...).
bool is_join_key(std::string_view column_name);

/// Names that identify the patient (not the stay), in order of preference; used for the
/// per-patient date shift when the table has no patient role.
const std::vector<std::string>& patient_key_names();

/// The documented lists, for the manifest text.
std::string direct_identifier_list();
std::string join_key_list();

}  // namespace clinflow_deidentify
