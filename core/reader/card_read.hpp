// What a card read hands to the rest of Gerbang: only fields the agreement permits.
#pragma once

#include <map>
#include <string>

namespace gerbang::reader {

struct CardRead {
  std::string cardUid;  // hex, the chip's UID (FF CA)
  std::string samUid;   // hex, the SAM that authenticated it (F7)
  // Registry element name (NIK, NAMA_LGKP, ..., KAB_NAME) -> value; only names the
  // agreement permits (minimise() in biodata.hpp). Personal data: memory only, unless
  // ConsentRepository::storeCardRead() stores it with the resident's consent.
  std::map<std::string, std::string> fields;
};

}  // namespace gerbang::reader
