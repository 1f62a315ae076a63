// The schema both balikan fuzzers validate against (Karanganyar AK-I's balikan, plus a date
// and an integer field so every type's checks are reached).
#pragma once

#include "core/balikan/schema.hpp"

namespace gerbang::balikan::fuzz {

const Schema& schema();

}  // namespace gerbang::balikan::fuzz
