// Fusion adaptation of the AST for Spirit X3 (kept apart so only the grammar TU pays for it).
// Single-member nodes (Ident, DottedName, String, Bool, List) are filled by semantic actions
// instead: X3 treats one-element fusion sequences inconsistently.
#pragma once

#include <boost/fusion/include/adapt_struct.hpp>

#include "ast.hpp"

BOOST_FUSION_ADAPT_STRUCT(clinflow::dsl::ast::Numeric, text, unit)
BOOST_FUSION_ADAPT_STRUCT(clinflow::dsl::ast::Operation, op, operand)
BOOST_FUSION_ADAPT_STRUCT(clinflow::dsl::ast::Expr, first, rest)
BOOST_FUSION_ADAPT_STRUCT(clinflow::dsl::ast::NamedArg, key, value)
BOOST_FUSION_ADAPT_STRUCT(clinflow::dsl::ast::Binding, names, plugin, args)
BOOST_FUSION_ADAPT_STRUCT(clinflow::dsl::ast::Require, target, op, value)
