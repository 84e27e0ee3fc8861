// The name lists behind deidentify's column decisions.
//
// Implementation notes: matching is on the whole lower-cased column name, never on substrings,
// so "description" or "zip_flag_count" are not caught by accident; the lists therefore spell out
// the usual variants (zip, zipcode, zip_code, postal_code). Plain `*_id` is deliberately not a
// rule: diabetes' admission_type_id is a category code, not an identifier.
#include "identifiers.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace clinflow_deidentify {

namespace {

// HIPAA Safe Harbor 45 CFR 164.514(b)(2) categories, by the column names they usually take.
constexpr std::array kDirectIdentifiers = {
    // names
    "name", "first_name", "firstname", "last_name", "lastname", "middle_name", "full_name",
    "patient_name", "surname", "given_name", "maiden_name",
    // geography below state level
    "address", "address1", "address2", "street", "street_address", "home_address", "city", "county",
    "zip", "zipcode", "zip_code", "postal_code", "postcode",
    // contact
    "phone", "phone_number", "telephone", "mobile", "fax", "fax_number", "email", "email_address",
    // numbers
    "ssn", "social_security", "social_security_number", "mrn", "medical_record_number", "account",
    "account_number", "health_plan", "health_plan_number", "beneficiary", "beneficiary_number",
    "license", "licence", "license_number", "certificate", "certificate_number", "vehicle",
    "vehicle_id", "plate", "license_plate", "device_id", "serial", "serial_number", "url",
    "web_url", "ip", "ip_address", "biometric", "fingerprint", "photo", "photograph", "image",
    // free text: may name anyone or anything
    "comment", "comments", "note", "notes", "text", "note_text", "notetext", "free_text",
    "narrative", "remarks"};

constexpr std::array kJoinKeys = {"subject_id",
                                  "hadm_id",
                                  "stay_id",
                                  "icustay_id",
                                  "transfer_id",
                                  "patientunitstayid",
                                  "patienthealthsystemstayid",
                                  "uniquepid",
                                  "patient_nbr",
                                  "encounter_id",
                                  "patient_id",
                                  "patientid",
                                  "person_id",
                                  "visit_id",
                                  "visit_occurrence_id",
                                  "admission_id"};

template <std::size_t N>
bool contains(const std::array<const char*, N>& list, std::string_view name) {
  const std::string key = lower(name);
  return std::any_of(list.begin(), list.end(), [&](const char* s) { return key == s; });
}

template <std::size_t N>
std::string joined(const std::array<const char*, N>& list) {
  std::string out;
  for (const char* s : list) out += (out.empty() ? "" : ", ") + std::string(s);
  return out;
}

}  // namespace

std::string lower(std::string_view name) {
  std::string out(name);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_direct_identifier(std::string_view column_name) {
  return contains(kDirectIdentifiers, column_name);
}

bool is_join_key(std::string_view column_name) {
  return contains(kJoinKeys, column_name);
}

const std::vector<std::string>& patient_key_names() {
  static const std::vector<std::string> names = {"subject_id", "uniquepid", "patient_nbr",
                                                 "patient_id", "patientid", "person_id"};
  return names;
}

std::string direct_identifier_list() {
  return joined(kDirectIdentifiers);
}
std::string join_key_list() {
  return joined(kJoinKeys);
}

}  // namespace clinflow_deidentify
