// ISO/IEC 7816-4 command and response APDUs, the channel they travel over, and the
// mapping of status words to operator-facing errors (Indonesian messages, stable codes).
#pragma once

#include "core/common/result.hpp"
#include "core/reader/bytes.hpp"

#include <chrono>
#include <cstdint>
#include <string>

namespace gerbang::reader {

// A command APDU (short length form only: KTP-el and SAM commands never need extended
// lengths).
struct CommandApdu {
  uint8_t cla = 0x00;
  uint8_t ins = 0x00;
  uint8_t p1 = 0x00;
  uint8_t p2 = 0x00;
  Bytes data;   // Lc is data.size(); at most 255 bytes
  int le = -1;  // -1: no Le; 0..256 (256 is encoded as 00)

  // The encoded bytes. Throws std::length_error when data exceeds 255 bytes or le 256
  // (programming errors, never card input).
  Bytes encode() const;
};

// A response APDU: data followed by SW1 SW2.
struct ResponseApdu {
  Bytes data;
  uint16_t sw = 0;
  uint8_t sw1() const { return uint8_t(sw >> 8); }
  uint8_t sw2() const { return uint8_t(sw & 0xFF); }
  bool ok() const { return sw == 0x9000; }
};

// Splits a raw response into data and status word. Error "card_bad_response" when fewer
// than two bytes arrived (the detail gives the length).
Result<ResponseApdu> parseResponse(const Bytes& raw);

// The error an operator sees for a non-success status word `sw` answered to instruction
// `ins`. Codes are stable ("card_file_not_found" for 6A82, "card_security_status" for 6982,
// "card_wrong_length" for 6700, "card_ins_not_supported" for 6D00, "card_cla_not_supported"
// for 6E00, ...); the detail names the status word and the instruction, never data.
Error statusError(uint16_t sw, uint8_t ins, const std::string& who = "kartu");

// Something that carries APDUs to one card (the KTP-el chip or the SAM): a PC/SC
// connection in production, an in-process virtual card in unit tests.
class CardChannel {
 public:
  virtual ~CardChannel() = default;
  // Sends one command and returns the raw response (data + SW1 SW2). Errors are transport
  // failures with stable codes: "card_removed" (the card left the field or the reader
  // went away during the exchange), "card_timeout", "reader_unavailable",
  // "card_io_error". A status word other than 9000 is NOT an error here.
  virtual Result<Bytes> transmit(const Bytes& command) = 0;
};

// Sends `cmd` and handles the transport-level status words: 61xx (fetches the rest with
// GET RESPONSE) and 6Cxx (repeats with the right Le). Returns the final response, whatever
// its status word; transport errors pass through.
Result<ResponseApdu> exchange(CardChannel& channel, const CommandApdu& cmd);

// exchange() and then requires 9000 (or, when `allowEof`, 6282 "end of file reached before
// Le bytes"), mapping any other status word with statusError(). `who` names the card in
// messages ("kartu" or "SAM").
Result<ResponseApdu> exchangeOk(CardChannel& channel, const CommandApdu& cmd,
                                const std::string& who = "kartu", bool allowEof = false);

}  // namespace gerbang::reader
