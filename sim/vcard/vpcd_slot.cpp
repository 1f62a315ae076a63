#include "sim/vcard/vpcd_slot.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace gerbang::vcard {
namespace {

bool readFull(int fd, uint8_t* p, size_t n) {
  while (n > 0) {
    ssize_t r = ::recv(fd, p, n, 0);
    if (r <= 0) {
      if (r < 0 && errno == EINTR) continue;
      return false;
    }
    p += r;
    n -= size_t(r);
  }
  return true;
}

bool writeFrame(int fd, const Bytes& body) {
  Bytes f{uint8_t(body.size() >> 8), uint8_t(body.size())};
  f.insert(f.end(), body.begin(), body.end());
  size_t off = 0;
  while (off < f.size()) {
    ssize_t w = ::send(fd, f.data() + off, f.size() - off, MSG_NOSIGNAL);
    if (w <= 0) {
      if (w < 0 && errno == EINTR) continue;
      return false;
    }
    off += size_t(w);
  }
  return true;
}

}  // namespace

VpcdSlot::VpcdSlot(std::string host, uint16_t port) : host_(std::move(host)), port_(port) {
  if (host_ != "127.0.0.1" && host_ != "::1" && host_ != "localhost")
    throw std::invalid_argument("vpcd slot: host must be loopback (127.0.0.1 or ::1)");
  thread_ = std::thread([this] { run(); });
}

VpcdSlot::~VpcdSlot() {
  stop_ = true;
  remove();
  cv_.notify_all();
  thread_.join();
}

void VpcdSlot::setDevice(std::shared_ptr<VirtualDevice> device) {
  std::lock_guard<std::mutex> lock(mutex_);
  device_ = std::move(device);
}

void VpcdSlot::insert() {
  std::lock_guard<std::mutex> lock(mutex_);
  inserted_ = true;
  cv_.notify_all();
}

void VpcdSlot::remove() {
  std::lock_guard<std::mutex> lock(mutex_);
  inserted_ = false;
  dropIn_ = hangIn_ = 0;
  if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
  cv_.notify_all();
}

void VpcdSlot::removeAfter(int n) {
  std::lock_guard<std::mutex> lock(mutex_);
  dropIn_ = n;
}

void VpcdSlot::hangAfter(int n) {
  std::lock_guard<std::mutex> lock(mutex_);
  hangIn_ = n;
}

void VpcdSlot::run() {
  while (!stop_) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [this] { return stop_ || inserted_; });
      if (stop_) return;
    }
    int fd = ::socket(host_ == "::1" ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
    bool ok = false;
    if (host_ == "::1") {
      sockaddr_in6 a{};
      a.sin6_family = AF_INET6;
      a.sin6_port = htons(port_);
      a.sin6_addr = in6addr_loopback;
      ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    } else {
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(port_);
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    }
    if (ok) {
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!inserted_ || stop_)
          ok = false;
        else
          fd_ = fd;
      }
    }
    if (ok) {
      connected_ = true;
      serve(fd);
      connected_ = false;
      std::lock_guard<std::mutex> lock(mutex_);
      fd_ = -1;
    }
    ::close(fd);
    // vpcd not listening (pcscd stopped or restarting) or the connection ended: retry
    // while inserted.
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stop_.load(); });
  }
}

void VpcdSlot::serve(int fd) {
  for (;;) {
    uint8_t hdr[2];
    if (!readFull(fd, hdr, 2)) return;
    size_t len = size_t(hdr[0] << 8) | hdr[1];
    Bytes body(len);
    if (len > 0 && !readFull(fd, body.data(), len)) return;
    std::shared_ptr<VirtualDevice> dev;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      dev = device_;
    }
    if (!dev) return;
    if (len == 1) {
      switch (body[0]) {
        case 0x00:  // power off
        case 0x01:  // power on
        case 0x02:  // reset
          dev->reset();
          break;
        case 0x04:  // get ATR
          if (!writeFrame(fd, dev->atr())) return;
          break;
        default:
          break;  // unknown control: vpcd expects no answer
      }
      continue;
    }
    bool drop = false, hang = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (dropIn_ > 0 && --dropIn_ == 0) {
        drop = true;
        inserted_ = false;
      }
      if (hangIn_ > 0 && --hangIn_ == 0) hang = true;
    }
    if (drop) return;  // the card left the field before answering
    if (hang) {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [this] { return stop_ || !inserted_; });
      return;
    }
    Bytes answer = dev->process(body);
    ++apdus_;
    if (!writeFrame(fd, answer)) return;
  }
}

}  // namespace gerbang::vcard
