#include "sim/vcard/vcard.hpp"

#include <stdexcept>

namespace gerbang::vcard {
namespace {

Bytes hexKey(const Poco::Util::AbstractConfiguration& c, const std::string& key, size_t exact = 0) {
  if (!c.hasProperty(key)) throw std::invalid_argument("vcard config: " + key + " is required");
  auto b = reader::fromHex(c.getString(key));
  if (!b || b->empty() || (exact != 0 && b->size() != exact))
    throw std::invalid_argument(
        "vcard config: " + key + " must be " +
        (exact ? std::to_string(exact) + " bytes of " : std::string("non-empty ")) + "hex");
  return *b;
}

uint16_t port(const Poco::Util::AbstractConfiguration& c, const std::string& key, uint16_t def) {
  int p = c.getInt(key, def);
  if (p < 1 || p > 65535) throw std::invalid_argument("vcard config: " + key + " must be 1..65535");
  return uint16_t(p);
}

}  // namespace

VcardConfig VcardConfig::fromConfiguration(const Poco::Util::AbstractConfiguration& c) {
  VcardConfig v;
  v.sam.pcid = hexKey(c, "reader.sam.pcid");
  v.sam.conf = hexKey(c, "reader.sam.conf");
  v.sam.uid = hexKey(c, "vcard.sam.uid", 8);
  v.sam.master = hexKey(c, "vcard.master.key");
  v.cardPort = port(c, "vcard.card.port", v.cardPort);
  v.samPort = port(c, "vcard.sam.port", v.samPort);
  return v;
}

SamIdentity wrongSamOf(const SamIdentity& good) {
  SamIdentity w = good;
  for (Bytes* b : {&w.uid, &w.pcid, &w.conf, &w.master})
    for (auto& x : *b) x = uint8_t(x ^ 0x5A);
  return w;
}

VirtualKtpel::VirtualKtpel(VcardConfig config, const sim::Population& population,
                           size_t residentIndex)
    : config_(std::move(config)), population_(population), index_(residentIndex) {
  if (index_ >= population_.size()) throw std::out_of_range("vcard: resident index out of range");
  card_ = std::make_unique<VpcdSlot>(config_.host, config_.cardPort);
  sam_ = std::make_unique<VpcdSlot>(config_.host, config_.samPort);
  presentCard();
  sam_->setDevice(std::make_shared<VirtualSam>(config_.sam));
  sam_->insert();
}

VirtualKtpel::~VirtualKtpel() {
  card_.reset();
  sam_.reset();
}

void VirtualKtpel::presentCard() {
  sim::Resident r = population_.at(index_);
  card_->setDevice(
      std::make_shared<VirtualChip>(uidFor(index_), biodataFor(r), config_.sam.master));
}

bool VirtualKtpel::selectResident(size_t index) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (index >= population_.size()) return false;
  index_ = index;
  presentCard();
  return true;
}

bool VirtualKtpel::selectResidentByNik(const std::string& nik) {
  auto i = population_.indexOf(nik);
  return i && selectResident(*i);
}

sim::Resident VirtualKtpel::resident() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return population_.at(index_);
}

size_t VirtualKtpel::residentIndex() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return index_;
}

reader::Bytes VirtualKtpel::cardUid() const { return uidFor(residentIndex()); }

void VirtualKtpel::insertCard() { card_->insert(); }
void VirtualKtpel::removeCard() { card_->remove(); }
void VirtualKtpel::removeCardAfter(int n) { card_->removeAfter(n); }
void VirtualKtpel::hangCardAfter(int n) { card_->hangAfter(n); }
void VirtualKtpel::insertSam() { sam_->insert(); }
void VirtualKtpel::removeSam() { sam_->remove(); }

void VirtualKtpel::useWrongSam(bool wrong) {
  bool wasIn = sam_->inserted();
  sam_->remove();
  sam_->setDevice(std::make_shared<VirtualSam>(wrong ? wrongSamOf(config_.sam) : config_.sam));
  if (wasIn) sam_->insert();
}

}  // namespace gerbang::vcard
