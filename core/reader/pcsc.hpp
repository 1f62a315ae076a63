// PC/SC access through pcsc-lite: the resource-manager context, reader listing, a watcher
// for reader and card arrival/removal, and connections to one card with timed transmits.
//
// pcscd may be restarted and readers unplugged at any time (field installations run on
// unattended PCs). Every call that finds the context dead (SCARD_E_NO_SERVICE,
// SCARD_E_SERVICE_STOPPED, SCARD_E_INVALID_HANDLE, SCARD_E_READER_UNAVAILABLE) releases
// it and establishes a new one before retrying once; the watcher keeps retrying until
// pcscd is back and then reports the readers and cards it sees again.
#pragma once

#include "core/common/result.hpp"
#include "core/reader/apdu.hpp"
#include "core/reader/bytes.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace gerbang::reader {

enum class ReaderEventType {
  kReaderAdded,
  kReaderRemoved,
  kCardInserted,
  kCardRemoved,
  kServiceLost,      // pcscd stopped answering; the watcher keeps retrying
  kServiceRestored,  // a new context is established; reader/card events follow
};
std::string_view toString(ReaderEventType t);

struct ReaderEvent {
  ReaderEventType type;
  std::string reader;  // empty for service events
  Bytes atr;           // for kCardInserted
};

struct PcscOptions {
  // How long one SCardGetStatusChange waits before the watcher re-lists readers.
  std::chrono::milliseconds pollInterval{1000};
  // Delay between attempts to reach a stopped pcscd.
  std::chrono::milliseconds reconnectInterval{200};
  // Upper bound for one APDU exchange; beyond it transmit() returns "card_timeout".
  std::chrono::milliseconds transmitTimeout{5000};
  // After a failed exchange, how long to wait for pcscd to notice that the card left
  // before calling the failure "card_io_error" rather than "card_removed".
  std::chrono::milliseconds removalGrace{3000};
  // How long connect() keeps retrying while another handle still holds the card
  // (SCARD_E_SHARING_VIOLATION): pcscd releases an exclusive handle asynchronously, so a
  // read right after another one can briefly see the card as busy.
  std::chrono::milliseconds busyWait{2000};
};

enum class Protocol { kT0, kT1, kRaw };
std::string_view toString(Protocol p);

// A connection to the card in one reader, on its own PC/SC context (so a transmit that
// hangs in the driver can be abandoned without blocking the service). Exclusive: no other
// application can interleave commands with a secure-messaging session.
class PcscConnection final : public CardChannel {
 public:
  struct State;
  PcscConnection(std::shared_ptr<State> state, PcscOptions options);
  ~PcscConnection() override;
  PcscConnection(const PcscConnection&) = delete;
  PcscConnection& operator=(const PcscConnection&) = delete;

  // Sends one APDU. Errors: "card_removed" (the card left during or before the exchange),
  // "card_timeout" (no answer within PcscOptions::transmitTimeout; the connection is then
  // unusable), "reader_unavailable" (pcscd or the reader went away), "card_io_error".
  Result<Bytes> transmit(const Bytes& command) override;

  const std::string& reader() const;
  Protocol protocol() const;
  const Bytes& atr() const;

 private:
  std::shared_ptr<State> state_;
  PcscOptions options_;
};

class PcscService {
 public:
  // Does not contact pcscd yet: a missing pcscd is an error of the first call, not of
  // construction (a host starts before the reader is plugged in).
  explicit PcscService(PcscOptions options = {});
  ~PcscService();  // stops the watcher
  PcscService(const PcscService&) = delete;
  PcscService& operator=(const PcscService&) = delete;

  // The readers pcscd knows (slot names, e.g. "Virtual PCD 00 00"); empty when none.
  // Error "pcsc_unavailable" when pcscd cannot be reached.
  Result<std::vector<std::string>> listReaders();

  // Whether a card is in `reader`. Errors: "reader_absent", "pcsc_unavailable".
  Result<bool> cardPresent(const std::string& reader);

  // Waits until `reader` has a card (present) or none (!present), at most `timeout`.
  // True when reached, false on timeout. Errors: "reader_absent", "pcsc_unavailable".
  // For "tap your card" prompts; the watcher is the way to follow a reader continuously.
  Result<bool> waitForCard(const std::string& reader, bool present,
                           std::chrono::milliseconds timeout);

  // Connects to the card in `reader` (T=0 or T=1, whatever the card's ATR offers; raw
  // when neither). Errors: "reader_absent", "card_absent", "reader_busy" (another
  // application holds the card), "pcsc_unavailable", "card_io_error".
  Result<std::unique_ptr<PcscConnection>> connect(const std::string& reader);

  // Starts the watcher thread: `callback` receives every event, in order, on that thread
  // (it must not call startWatch/stopWatch). Cards already present when the watch starts
  // (or when pcscd comes back) are reported as kCardInserted. Throws std::logic_error if
  // already watching.
  using EventCallback = std::function<void(const ReaderEvent&)>;
  void startWatch(EventCallback callback);
  // Stops and joins the watcher (cancels a pending SCardGetStatusChange). Idempotent.
  void stopWatch();

  // How many times a context was established after one was lost (for diagnostics and tests).
  int reestablishCount() const { return reestablished_.load(); }

  const PcscOptions& options() const { return options_; }

 private:
  template <class F>
  long withContext(F&& f);
  bool ensureContextLocked(long& rv);
  void dropContextLocked();
  void watchLoop();
  void sleepUnlessStopped(std::chrono::milliseconds d);

  PcscOptions options_;
  std::mutex mutex_;  // guards ctx_
  long ctx_ = 0;
  bool haveCtx_ = false;
  bool everHadCtx_ = false;
  std::atomic<int> reestablished_{0};

  std::thread watcher_;
  std::atomic<bool> watching_{false};
  EventCallback callback_;
  std::mutex watchCtxMutex_;
  long watchCtx_ = 0;
  bool haveWatchCtx_ = false;
  std::mutex sleepMutex_;
  std::condition_variable sleepCv_;
};

// True for the PC/SC return codes after which a context must be re-established.
bool isContextLost(long rv);

}  // namespace gerbang::reader
