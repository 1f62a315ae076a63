#include "core/reader/apdu.hpp"

#include <cstdio>
#include <stdexcept>

namespace gerbang::reader {
namespace {

std::string hex4(uint16_t sw) {
  char b[8];
  std::snprintf(b, sizeof b, "%04X", unsigned(sw));
  return b;
}

std::string hex2(uint8_t v) {
  char b[4];
  std::snprintf(b, sizeof b, "%02X", unsigned(v));
  return b;
}

}  // namespace

Bytes CommandApdu::encode() const {
  if (data.size() > 255) throw std::length_error("APDU data longer than 255 bytes");
  if (le > 256) throw std::length_error("APDU Le above 256");
  Bytes out{cla, ins, p1, p2};
  if (!data.empty()) {
    out.push_back(uint8_t(data.size()));
    out.insert(out.end(), data.begin(), data.end());
  }
  if (le >= 0) out.push_back(uint8_t(le == 256 ? 0 : le));
  return out;
}

Result<ResponseApdu> parseResponse(const Bytes& raw) {
  if (raw.size() < 2)
    return Error{"card_bad_response", "Jawaban kartu tidak lengkap (kurang dari 2 byte).",
                 "response length " + std::to_string(raw.size()) + ", need at least 2 (SW1 SW2)"};
  ResponseApdu r;
  r.data.assign(raw.begin(), raw.end() - 2);
  r.sw = uint16_t((raw[raw.size() - 2] << 8) | raw[raw.size() - 1]);
  return r;
}

Error statusError(uint16_t sw, uint8_t ins, const std::string& who) {
  std::string d = "SW " + hex4(sw) + " to INS " + hex2(ins);
  uint8_t sw1 = uint8_t(sw >> 8);
  switch (sw) {
    case 0x6A82:
      return {"card_file_not_found",
              "Berkas tidak ditemukan pada " + who + " (6A82). Pastikan kartu adalah KTP-el.", d};
    case 0x6982:
      return {"card_security_status",
              "Status keamanan tidak terpenuhi pada " + who +
                  " (6982): autentikasi SAM belum berhasil atau SAM tidak sesuai.",
              d};
    case 0x6983:
      return {"card_auth_blocked", "Metode autentikasi pada " + who + " terblokir (6983).", d};
    case 0x6985:
      return {"card_conditions_not_satisfied",
              "Syarat penggunaan perintah pada " + who + " tidak terpenuhi (6985).", d};
    case 0x6988:
      return {"card_secure_messaging", "Data secure messaging tidak valid pada " + who + " (6988).",
              d};
    case 0x6700:
      return {"card_wrong_length", "Panjang perintah salah menurut " + who + " (6700).", d};
    case 0x6A80:
      return {"card_wrong_data", "Data perintah ditolak oleh " + who + " (6A80).", d};
    case 0x6A86:
    case 0x6B00:
      return {"card_wrong_params", "Parameter P1/P2 ditolak oleh " + who + " (" + hex4(sw) + ").",
              d};
    case 0x6D00:
      return {"card_ins_not_supported", "Instruksi tidak didukung oleh " + who + " (6D00).", d};
    case 0x6E00:
      return {"card_cla_not_supported",
              "Kelas instruksi (CLA) tidak didukung oleh " + who + " (6E00).", d};
    case 0x6581:
      return {"card_memory_failure", "Kegagalan memori pada " + who + " (6581).", d};
    case 0x6F00:
      return {"card_error", "Kesalahan pada " + who + " tanpa keterangan (6F00).", d};
    default:
      break;
  }
  if (sw == 0x6300 || (sw1 == 0x63 && (sw & 0xF0) == 0xC0))
    return {"card_auth_failed",
            "Autentikasi ditolak oleh " + who + " (" + hex4(sw) + "): SAM dan kartu tidak cocok.",
            d};
  return {"card_status", who + " menjawab dengan status " + hex4(sw) + ".", d};
}

Result<ResponseApdu> exchange(CardChannel& channel, const CommandApdu& cmd) {
  // Command data can come from the other card (a SAM's challenge or cryptogram): an
  // impossible size is a bad answer from that card, not a reason to throw on the request path.
  if (cmd.data.size() > 255 || cmd.le > 256)
    return Error{"card_bad_response", "Jawaban kartu/SAM tidak valid (data terlalu panjang).",
                 "command data " + std::to_string(cmd.data.size()) + " bytes, Le " +
                     std::to_string(cmd.le)};
  auto raw = channel.transmit(cmd.encode());
  if (!raw) return raw.error();
  auto r = parseResponse(*raw);
  if (!r) return r;
  if (r->sw1() == 0x6C) {
    // Wrong Le: the card tells us the right one; repeat once.
    CommandApdu again = cmd;
    again.le = r->sw2() == 0 ? 256 : r->sw2();
    raw = channel.transmit(again.encode());
    if (!raw) return raw.error();
    r = parseResponse(*raw);
    if (!r) return r;
  }
  ResponseApdu out = std::move(r.value());
  // T=0 cards announce remaining bytes with 61xx; bounded so a misbehaving card cannot
  // keep us looping.
  for (int i = 0; i < 64 && out.sw1() == 0x61; ++i) {
    CommandApdu getResponse{0x00, 0xC0, 0x00, 0x00, {}, out.sw2() == 0 ? 256 : out.sw2()};
    raw = channel.transmit(getResponse.encode());
    if (!raw) return raw.error();
    auto more = parseResponse(*raw);
    if (!more) return more;
    out.data.insert(out.data.end(), more->data.begin(), more->data.end());
    out.sw = more->sw;
  }
  if (out.sw1() == 0x61)
    return Error{"card_bad_response", "Kartu terus meminta GET RESPONSE.", "61xx loop"};
  return out;
}

Result<ResponseApdu> exchangeOk(CardChannel& channel, const CommandApdu& cmd,
                                const std::string& who, bool allowEof) {
  auto r = exchange(channel, cmd);
  if (!r) return r;
  if (r->ok() || (allowEof && r->sw == 0x6282)) return r;
  return statusError(r->sw, cmd.ins, who);
}

}  // namespace gerbang::reader
