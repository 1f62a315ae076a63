// gerbang-vcard: a virtual KTP-el chip and SAM in the two vpcd slots of a local pcscd.
//
//   gerbang-vcard --config sim/vcard/test-sam.properties [--resident N | --nik NIK]
//                 [--seed S] [--size N] [--no-insert]
//
// Then one command per line on stdin (answers "ok ..." or "error: ..." on stdout):
//   insert | remove | remove-mid-read N | hang N | sam-insert | sam-remove
//   wrong-sam on|off | resident N | resident-nik NIK | status | quit
// The resident is synthetic (sim/population, same seed and size as the portal stand-in,
// so the card's NIK can be looked up there).
#include "sim/population/population.hpp"
#include "sim/vcard/vcard.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>

using namespace gerbang;

namespace {

int usage(const char* msg) {
  std::fprintf(stderr,
               "gerbang-vcard: %s\nusage: gerbang-vcard --config FILE [--resident N | --nik NIK] "
               "[--seed S] [--size N] [--no-insert]\n",
               msg);
  return 2;
}

bool parseSize(const std::string& s, size_t& out) {
  if (s.empty() || s.size() > 12) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + size_t(c - '0');
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config, nik;
  size_t resident = 0, size = sim::Population::kDefaultSize;
  uint64_t seed = sim::Population::kDefaultSeed;
  bool insert = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&](std::string& v) {
      if (i + 1 >= argc) return false;
      v = argv[++i];
      return true;
    };
    std::string v;
    if (a == "--config" && next(config)) continue;
    if (a == "--nik" && next(nik)) continue;
    if (a == "--resident" && next(v) && parseSize(v, resident)) continue;
    if (a == "--size" && next(v) && parseSize(v, size)) continue;
    if (a == "--seed" && next(v)) {
      size_t s;
      if (!parseSize(v, s)) return usage("--seed needs a number");
      seed = s;
      continue;
    }
    if (a == "--no-insert") {
      insert = false;
      continue;
    }
    return usage(("unknown or incomplete argument '" + a + "'").c_str());
  }
  if (config.empty()) return usage("--config is required");
  try {
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> props(
        new Poco::Util::PropertyFileConfiguration(config));
    auto cfg = vcard::VcardConfig::fromConfiguration(*props);
    sim::Population population(sim::Wilayah::loadDefault(), seed, size);
    if (!nik.empty()) {
      auto idx = population.indexOf(nik);
      if (!idx) return usage("--nik is not in the synthetic population");
      resident = *idx;
    }
    if (resident >= population.size()) return usage("--resident out of range");
    vcard::VirtualKtpel card(cfg, population, resident);
    if (insert) card.insertCard();
    std::printf("ready card=127.0.0.1:%u sam=127.0.0.1:%u resident=%zu\n", unsigned(cfg.cardPort),
                unsigned(cfg.samPort), resident);
    std::fflush(stdout);
    std::string line;
    while (std::getline(std::cin, line)) {
      std::istringstream in(line);
      std::string cmd, arg;
      in >> cmd >> arg;
      size_t n = 0;
      if (cmd.empty()) continue;
      if (cmd == "quit") break;
      if (cmd == "insert")
        card.insertCard();
      else if (cmd == "remove")
        card.removeCard();
      else if (cmd == "remove-mid-read" && parseSize(arg, n) && n > 0)
        card.removeCardAfter(int(n));
      else if (cmd == "hang" && parseSize(arg, n) && n > 0)
        card.hangCardAfter(int(n));
      else if (cmd == "sam-insert")
        card.insertSam();
      else if (cmd == "sam-remove")
        card.removeSam();
      else if (cmd == "wrong-sam" && (arg == "on" || arg == "off"))
        card.useWrongSam(arg == "on");
      else if (cmd == "resident" && parseSize(arg, n) && card.selectResident(n)) {
      } else if (cmd == "resident-nik" && card.selectResidentByNik(arg)) {
      } else if (cmd == "status") {
        std::printf("ok card=%s sam=%s resident=%zu apdus=%d\n",
                    card.cardSlot().connected() ? "in" : "out",
                    card.samSlot().connected() ? "in" : "out", card.residentIndex(),
                    card.cardSlot().apdus());
        std::fflush(stdout);
        continue;
      } else {
        std::printf("error: unknown or malformed command '%s'\n", cmd.c_str());
        std::fflush(stdout);
        continue;
      }
      std::printf("ok %s\n", cmd.c_str());
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gerbang-vcard: %s\n", e.what());
    return 1;
  }
  return 0;
}
