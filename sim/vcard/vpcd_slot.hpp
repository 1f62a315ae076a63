// One vpcd slot seen from the virtual card: a TCP client to the vpcd driver inside pcscd
// (127.0.0.1:35963 for the first slot, 35964 for the second; see
// /etc/reader.conf.d/vpcd). Frames are a 2-byte big-endian length and a body; a 1-byte
// body is a control (0x00 power off, 0x01 power on, 0x02 reset, 0x04 get ATR, answered
// with the ATR), anything longer an APDU answered with response + SW. vpcd sees a card
// while a client is connected, so "insert" is connect and "remove" is disconnect.
#pragma once

#include "sim/vcard/virtual_card.hpp"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace gerbang::vcard {

class VpcdSlot {
 public:
  // Starts the slot's thread, card removed. `host` must be a loopback address.
  VpcdSlot(std::string host, uint16_t port);
  ~VpcdSlot();
  VpcdSlot(const VpcdSlot&) = delete;
  VpcdSlot& operator=(const VpcdSlot&) = delete;

  // The device presented on the next insert (and from the next APDU if inserted).
  void setDevice(std::shared_ptr<VirtualDevice> device);
  // Connects to vpcd and keeps reconnecting (pcscd restarts) until remove().
  void insert();
  // Disconnects now; the card stays out until insert().
  void remove();
  // The n-th APDU from now (n >= 1) is not answered: the connection drops, as when a
  // card leaves the field mid-read, and the card stays out until insert().
  void removeAfter(int n);
  // The n-th APDU from now is never answered (the connection stays up) until remove().
  void hangAfter(int n);

  bool inserted() const { return inserted_.load(); }
  bool connected() const { return connected_.load(); }
  // APDUs answered since construction.
  int apdus() const { return apdus_.load(); }

 private:
  void run();
  void serve(int fd);

  std::string host_;
  uint16_t port_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::shared_ptr<VirtualDevice> device_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> inserted_{false};
  std::atomic<bool> connected_{false};
  std::atomic<int> apdus_{0};
  int dropIn_ = 0;  // guarded by mutex_: 0 = off
  int hangIn_ = 0;
  int fd_ = -1;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace gerbang::vcard
