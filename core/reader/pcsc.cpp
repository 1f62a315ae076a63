#include "core/reader/pcsc.hpp"

#include <PCSC/winscard.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <future>
#include <map>
#include <stdexcept>
#include <thread>

namespace gerbang::reader {
namespace {

// The pseudo-reader through which pcsc-lite reports readers arriving and leaving.
constexpr const char* kPnpReader = "\\\\?PnP?\\Notification";

std::string pcscDetail(const char* call, LONG rv) {
  return std::string(call) + ": " + pcsc_stringify_error(rv);
}

Error unavailable(const char* call, LONG rv) {
  return Error{"pcsc_unavailable",
               "Layanan pembaca kartu (pcscd) tidak berjalan atau tidak dapat dihubungi.",
               pcscDetail(call, rv)};
}

// Splits a multi-string ("a\0b\0\0") into names.
std::vector<std::string> splitMulti(const char* p, DWORD len) {
  std::vector<std::string> out;
  const char* end = p + len;
  while (p < end && *p != '\0') {
    std::string s(p);
    p += s.size() + 1;
    out.push_back(std::move(s));
  }
  return out;
}

LONG listOn(SCARDCONTEXT ctx, std::vector<std::string>& out) {
  out.clear();
  DWORD len = 0;
  LONG rv = SCardListReaders(ctx, nullptr, nullptr, &len);
  if (rv == SCARD_E_NO_READERS_AVAILABLE) return SCARD_S_SUCCESS;
  if (rv != SCARD_S_SUCCESS) return rv;
  std::vector<char> buf(len + 1, '\0');
  rv = SCardListReaders(ctx, nullptr, buf.data(), &len);
  if (rv == SCARD_E_NO_READERS_AVAILABLE) return SCARD_S_SUCCESS;
  if (rv != SCARD_S_SUCCESS) return rv;
  out = splitMulti(buf.data(), len);
  return SCARD_S_SUCCESS;
}

}  // namespace

bool isContextLost(long rv) {
  return rv == SCARD_E_NO_SERVICE || rv == SCARD_E_SERVICE_STOPPED ||
         rv == SCARD_E_INVALID_HANDLE || rv == SCARD_E_READER_UNAVAILABLE ||
         rv == SCARD_F_COMM_ERROR;
}

std::string_view toString(ReaderEventType t) {
  switch (t) {
    case ReaderEventType::kReaderAdded:
      return "reader_added";
    case ReaderEventType::kReaderRemoved:
      return "reader_removed";
    case ReaderEventType::kCardInserted:
      return "card_inserted";
    case ReaderEventType::kCardRemoved:
      return "card_removed";
    case ReaderEventType::kServiceLost:
      return "service_lost";
    case ReaderEventType::kServiceRestored:
      return "service_restored";
  }
  return "unknown";
}

std::string_view toString(Protocol p) {
  switch (p) {
    case Protocol::kT0:
      return "T=0";
    case Protocol::kT1:
      return "T=1";
    case Protocol::kRaw:
      return "raw";
  }
  return "unknown";
}

// ---------------------------------------------------------------------------------------
// Connection

struct PcscConnection::State {
  std::string reader;
  SCARDCONTEXT ctx = 0;
  SCARDHANDLE handle = 0;
  DWORD protocol = 0;
  Bytes atr;
  std::atomic<bool> broken{false};

  ~State() {
    if (handle != 0) SCardDisconnect(handle, SCARD_LEAVE_CARD);
    if (ctx != 0) SCardReleaseContext(ctx);
  }

  // After a failed exchange: did the card leave? Waits up to `grace` for pcscd's poller
  // to notice (vpcd and real drivers report removal asynchronously).
  bool cardLeft(std::chrono::milliseconds grace) {
    SCARD_READERSTATE st{};
    st.szReader = reader.c_str();
    st.dwCurrentState = SCARD_STATE_UNAWARE;
    LONG rv = SCardGetStatusChange(ctx, 0, &st, 1);
    if (rv != SCARD_S_SUCCESS) return rv == SCARD_E_UNKNOWN_READER;
    auto deadline = std::chrono::steady_clock::now() + grace;
    while (!(st.dwEventState & SCARD_STATE_EMPTY)) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      st.dwCurrentState = st.dwEventState & ~DWORD(SCARD_STATE_CHANGED);
      rv = SCardGetStatusChange(ctx, DWORD(left.count()), &st, 1);
      if (rv == SCARD_E_TIMEOUT) return false;
      if (rv != SCARD_S_SUCCESS) return rv == SCARD_E_UNKNOWN_READER;
    }
    return true;
  }
};

PcscConnection::PcscConnection(std::shared_ptr<State> state, PcscOptions options)
    : state_(std::move(state)), options_(options) {}

PcscConnection::~PcscConnection() = default;

const std::string& PcscConnection::reader() const { return state_->reader; }
const Bytes& PcscConnection::atr() const { return state_->atr; }
Protocol PcscConnection::protocol() const {
  if (state_->protocol == SCARD_PROTOCOL_T0) return Protocol::kT0;
  if (state_->protocol == SCARD_PROTOCOL_T1) return Protocol::kT1;
  return Protocol::kRaw;
}

Result<Bytes> PcscConnection::transmit(const Bytes& command) {
  if (state_->broken)
    return Error{"card_io_error",
                 "Koneksi ke kartu tidak dapat dipakai lagi; tempelkan ulang kartu.",
                 "connection abandoned after a timeout"};
  struct Outcome {
    LONG rv;
    Bytes answer;
  };
  // The exchange runs on its own thread so a driver that never answers cannot hang the
  // caller; the thread keeps the State (context and handle) alive until pcscd returns.
  auto promise = std::make_shared<std::promise<Outcome>>();
  auto future = promise->get_future();
  std::thread([st = state_, promise, command] {
    const SCARD_IO_REQUEST* pci = st->protocol == SCARD_PROTOCOL_T0   ? SCARD_PCI_T0
                                  : st->protocol == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1
                                                                      : SCARD_PCI_RAW;
    Bytes answer(258 + 16);
    DWORD len = DWORD(answer.size());
    LONG rv = SCardTransmit(st->handle, pci, command.data(), DWORD(command.size()), nullptr,
                            answer.data(), &len);
    answer.resize(rv == SCARD_S_SUCCESS ? len : 0);
    promise->set_value(Outcome{rv, std::move(answer)});
  }).detach();
  if (future.wait_for(options_.transmitTimeout) != std::future_status::ready) {
    state_->broken = true;
    return Error{"card_timeout", "Kartu tidak menjawab dalam batas waktu; tempelkan ulang kartu.",
                 "no answer within " + std::to_string(options_.transmitTimeout.count()) + " ms"};
  }
  Outcome o = future.get();
  if (o.rv == SCARD_S_SUCCESS) {
    // Some drivers (vpcd among them) report a card that left mid-exchange as a successful
    // exchange with an empty answer.
    if (o.answer.size() < 2 && state_->cardLeft(options_.removalGrace))
      return Error{"card_removed",
                   "Kartu diangkat sebelum pembacaan selesai; tempelkan ulang kartu.",
                   "SCardTransmit: empty answer and the card left"};
    return std::move(o.answer);
  }
  if (o.rv == SCARD_W_REMOVED_CARD || o.rv == SCARD_E_NO_SMARTCARD)
    return Error{"card_removed", "Kartu diangkat sebelum pembacaan selesai; tempelkan ulang kartu.",
                 pcscDetail("SCardTransmit", o.rv)};
  if (o.rv == SCARD_E_NO_SERVICE || o.rv == SCARD_E_SERVICE_STOPPED ||
      o.rv == SCARD_E_INVALID_HANDLE || o.rv == SCARD_E_READER_UNAVAILABLE) {
    state_->broken = true;
    return Error{"reader_unavailable", "Pembaca kartu terputus atau layanan pcscd berhenti.",
                 pcscDetail("SCardTransmit", o.rv)};
  }
  // A failed exchange (SCARD_E_NOT_TRANSACTED, SCARD_W_RESET_CARD, ...) is most often a
  // card leaving the field mid-APDU: ask pcscd whether it did.
  if (state_->cardLeft(options_.removalGrace))
    return Error{"card_removed", "Kartu diangkat sebelum pembacaan selesai; tempelkan ulang kartu.",
                 pcscDetail("SCardTransmit", o.rv)};
  return Error{"card_io_error", "Komunikasi dengan kartu gagal; tempelkan ulang kartu.",
               pcscDetail("SCardTransmit", o.rv)};
}

// ---------------------------------------------------------------------------------------
// Service

PcscService::PcscService(PcscOptions options) : options_(options) {}

PcscService::~PcscService() {
  stopWatch();
  std::lock_guard<std::mutex> lock(mutex_);
  dropContextLocked();
}

bool PcscService::ensureContextLocked(long& rv) {
  if (haveCtx_) return true;
  SCARDCONTEXT c = 0;
  rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &c);
  if (rv != SCARD_S_SUCCESS) return false;
  ctx_ = c;
  haveCtx_ = true;
  if (everHadCtx_) ++reestablished_;
  everHadCtx_ = true;
  return true;
}

void PcscService::dropContextLocked() {
  if (!haveCtx_) return;
  SCardReleaseContext(ctx_);
  haveCtx_ = false;
  ctx_ = 0;
}

// Runs f(ctx) and, when the context turns out dead, re-establishes it and runs f once more.
template <class F>
long PcscService::withContext(F&& f) {
  std::lock_guard<std::mutex> lock(mutex_);
  long rv = SCARD_S_SUCCESS;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!ensureContextLocked(rv)) return rv;
    rv = f(SCARDCONTEXT(ctx_));
    if (!isContextLost(rv)) return rv;
    dropContextLocked();
  }
  return rv;
}

Result<std::vector<std::string>> PcscService::listReaders() {
  std::vector<std::string> names;
  long rv = withContext([&](SCARDCONTEXT c) { return listOn(c, names); });
  if (rv != SCARD_S_SUCCESS) return unavailable("SCardListReaders", LONG(rv));
  return names;
}

Result<bool> PcscService::cardPresent(const std::string& reader) {
  SCARD_READERSTATE st{};
  long rv = withContext([&](SCARDCONTEXT c) {
    st = SCARD_READERSTATE{};
    st.szReader = reader.c_str();
    st.dwCurrentState = SCARD_STATE_UNAWARE;
    return SCardGetStatusChange(c, 0, &st, 1);
  });
  if (rv == SCARD_E_UNKNOWN_READER)
    return Error{"reader_absent", "Pembaca kartu tidak ditemukan.",
                 "reader '" + reader + "' unknown"};
  if (rv != SCARD_S_SUCCESS) return unavailable("SCardGetStatusChange", LONG(rv));
  if (st.dwEventState & (SCARD_STATE_UNKNOWN | SCARD_STATE_IGNORE))
    return Error{"reader_absent", "Pembaca kartu tidak ditemukan.",
                 "reader '" + reader + "' unknown"};
  return (st.dwEventState & SCARD_STATE_PRESENT) != 0;
}

Result<bool> PcscService::waitForCard(const std::string& reader, bool present,
                                      std::chrono::milliseconds timeout) {
  // Its own context: a long wait must not hold the service's mutex.
  SCARDCONTEXT c = 0;
  LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &c);
  if (rv != SCARD_S_SUCCESS) return unavailable("SCardEstablishContext", rv);
  struct Release {
    SCARDCONTEXT c;
    ~Release() { SCardReleaseContext(c); }
  } release{c};
  SCARD_READERSTATE st{};
  st.szReader = reader.c_str();
  st.dwCurrentState = SCARD_STATE_UNAWARE;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    rv = SCardGetStatusChange(
        c, st.dwCurrentState == SCARD_STATE_UNAWARE ? 0 : DWORD(std::max<long>(left.count(), 0)),
        &st, 1);
    if (rv == SCARD_E_TIMEOUT) return false;
    if (rv == SCARD_E_UNKNOWN_READER)
      return Error{"reader_absent", "Pembaca kartu tidak ditemukan.",
                   "reader '" + reader + "' unknown"};
    if (rv != SCARD_S_SUCCESS) return unavailable("SCardGetStatusChange", rv);
    if (st.dwEventState & (SCARD_STATE_UNKNOWN | SCARD_STATE_IGNORE))
      return Error{"reader_absent", "Pembaca kartu tidak ditemukan.",
                   "reader '" + reader + "' unknown"};
    bool is = (st.dwEventState & SCARD_STATE_PRESENT) != 0;
    if (is == present) return true;
    if (left.count() <= 0) return false;
    st.dwCurrentState = st.dwEventState & ~DWORD(SCARD_STATE_CHANGED);
  }
}

Result<std::unique_ptr<PcscConnection>> PcscService::connect(const std::string& reader) {
  auto st = std::make_shared<PcscConnection::State>();
  st->reader = reader;
  SCARDCONTEXT c = 0;
  LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &c);
  if (rv != SCARD_S_SUCCESS) return unavailable("SCardEstablishContext", rv);
  st->ctx = c;
  SCARDHANDLE h = 0;
  DWORD proto = 0;
  const auto busyUntil = std::chrono::steady_clock::now() + options_.busyWait;
  for (;;) {
    rv = SCardConnect(c, reader.c_str(), SCARD_SHARE_EXCLUSIVE,
                      SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &h, &proto);
    if (rv == SCARD_E_PROTO_MISMATCH)
      rv = SCardConnect(c, reader.c_str(), SCARD_SHARE_EXCLUSIVE, SCARD_PROTOCOL_RAW, &h, &proto);
    if (rv != SCARD_E_SHARING_VIOLATION || std::chrono::steady_clock::now() >= busyUntil) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::string d = pcscDetail("SCardConnect", rv);
  switch (rv) {
    case SCARD_S_SUCCESS:
      break;
    case SCARD_E_UNKNOWN_READER:
    case SCARD_E_READER_UNAVAILABLE:
      return Error{"reader_absent", "Pembaca kartu tidak ditemukan.", d};
    case SCARD_E_NO_SMARTCARD:
    case SCARD_W_REMOVED_CARD:
      return Error{"card_absent", "Tidak ada kartu pada pembaca; tempelkan KTP-el.", d};
    case SCARD_E_SHARING_VIOLATION:
      return Error{"reader_busy", "Pembaca kartu sedang dipakai aplikasi lain.", d};
    case SCARD_E_NO_SERVICE:
    case SCARD_E_SERVICE_STOPPED:
      return unavailable("SCardConnect", rv);
    default:
      return Error{"card_io_error", "Kartu tidak dapat dihubungi; tempelkan ulang kartu.", d};
  }
  st->handle = h;
  st->protocol = proto;
  // The ATR, for the log line and for callers that tell cards apart.
  char name[256];
  DWORD nameLen = sizeof name, state = 0, p = 0;
  BYTE atr[MAX_ATR_SIZE];
  DWORD atrLen = sizeof atr;
  if (SCardStatus(h, name, &nameLen, &state, &p, atr, &atrLen) == SCARD_S_SUCCESS)
    st->atr.assign(atr, atr + atrLen);
  return std::make_unique<PcscConnection>(std::move(st), options_);
}

// ---------------------------------------------------------------------------------------
// Watcher

void PcscService::startWatch(EventCallback callback) {
  if (watching_.exchange(true)) throw std::logic_error("PcscService: already watching");
  callback_ = std::move(callback);
  watcher_ = std::thread([this] { watchLoop(); });
}

void PcscService::stopWatch() {
  if (!watching_.exchange(false)) return;
  {
    std::lock_guard<std::mutex> lock(watchCtxMutex_);
    if (haveWatchCtx_) SCardCancel(SCARDCONTEXT(watchCtx_));
  }
  {
    std::lock_guard<std::mutex> lock(sleepMutex_);
    sleepCv_.notify_all();
  }
  if (watcher_.joinable()) watcher_.join();
  callback_ = nullptr;
}

void PcscService::sleepUnlessStopped(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(sleepMutex_);
  sleepCv_.wait_for(lock, d, [this] { return !watching_.load(); });
}

void PcscService::watchLoop() {
  SCARDCONTEXT ctx = 0;
  bool haveCtx = false;
  bool lost = false;  // kServiceLost reported, kServiceRestored pending
  bool everConnected = false;
  std::map<std::string, DWORD> known;  // reader -> last event state
  DWORD pnpState = SCARD_STATE_UNAWARE;

  auto emit = [this](ReaderEventType t, const std::string& r, Bytes atr = {}) {
    try {
      callback_(ReaderEvent{t, r, std::move(atr)});
    } catch (const std::exception& e) {
      spdlog::error("reader watcher: event callback threw: {}", e.what());
    }
  };
  auto forgetAll = [&] {
    for (auto& [name, state] : known) {
      if (state & SCARD_STATE_PRESENT) emit(ReaderEventType::kCardRemoved, name);
      emit(ReaderEventType::kReaderRemoved, name);
    }
    known.clear();
    pnpState = SCARD_STATE_UNAWARE;
  };
  auto dropCtx = [&](LONG rv) {
    {
      std::lock_guard<std::mutex> lock(watchCtxMutex_);
      haveWatchCtx_ = false;
    }
    SCardReleaseContext(ctx);
    haveCtx = false;
    spdlog::warn("reader watcher: PC/SC context lost ({}); reconnecting", pcsc_stringify_error(rv));
    // A reader unplugged can invalidate the context while pcscd is fine: try at once, and
    // report the service lost only when pcscd does not answer.
    if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx) == SCARD_S_SUCCESS) {
      std::lock_guard<std::mutex> lock(watchCtxMutex_);
      watchCtx_ = ctx;
      haveWatchCtx_ = true;
      haveCtx = true;
      ++reestablished_;
      return;
    }
    forgetAll();
    if (!lost) emit(ReaderEventType::kServiceLost, "");
    lost = true;
  };

  while (watching_) {
    if (!haveCtx) {
      LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx);
      if (rv != SCARD_S_SUCCESS) {
        if (!lost) emit(ReaderEventType::kServiceLost, "");
        lost = true;
        sleepUnlessStopped(options_.reconnectInterval);
        continue;
      }
      {
        std::lock_guard<std::mutex> lock(watchCtxMutex_);
        watchCtx_ = ctx;
        haveWatchCtx_ = true;
      }
      haveCtx = true;
      if (everConnected) ++reestablished_;
      everConnected = true;
      if (lost) emit(ReaderEventType::kServiceRestored, "");
      lost = false;
      if (!watching_) break;  // stopWatch() may have missed this context for SCardCancel
    }

    std::vector<std::string> names;
    LONG rv = listOn(ctx, names);
    if (rv != SCARD_S_SUCCESS) {
      if (isContextLost(rv))
        dropCtx(rv);
      else
        sleepUnlessStopped(options_.reconnectInterval);
      continue;
    }
    for (auto it = known.begin(); it != known.end();) {
      if (std::find(names.begin(), names.end(), it->first) == names.end()) {
        if (it->second & SCARD_STATE_PRESENT) emit(ReaderEventType::kCardRemoved, it->first);
        emit(ReaderEventType::kReaderRemoved, it->first);
        it = known.erase(it);
      } else {
        ++it;
      }
    }
    for (const auto& n : names)
      if (known.emplace(n, SCARD_STATE_UNAWARE).second) emit(ReaderEventType::kReaderAdded, n);

    std::vector<SCARD_READERSTATE> states;
    std::vector<std::string> order;
    for (const auto& [name, state] : known) {
      SCARD_READERSTATE s{};
      s.szReader = name.c_str();
      s.dwCurrentState = state;
      states.push_back(s);
      order.push_back(name);
    }
    SCARD_READERSTATE pnp{};
    pnp.szReader = kPnpReader;
    pnp.dwCurrentState = pnpState;
    states.push_back(pnp);

    rv = SCardGetStatusChange(ctx, DWORD(options_.pollInterval.count()), states.data(),
                              DWORD(states.size()));
    if (rv == SCARD_E_TIMEOUT || rv == SCARD_E_CANCELLED) continue;
    if (rv == SCARD_E_UNKNOWN_READER) continue;  // a reader left between list and wait
    if (rv != SCARD_S_SUCCESS) {
      if (isContextLost(rv))
        dropCtx(rv);
      else
        sleepUnlessStopped(options_.reconnectInterval);
      continue;
    }
    pnpState = states.back().dwEventState & ~DWORD(SCARD_STATE_CHANGED);
    for (size_t i = 0; i < order.size(); ++i) {
      const auto& s = states[i];
      DWORD prev = known[order[i]];
      DWORD ev = s.dwEventState;
      if (ev & (SCARD_STATE_UNKNOWN | SCARD_STATE_IGNORE)) continue;  // next listing drops it
      bool was = (prev & SCARD_STATE_PRESENT) != 0;
      bool is = (ev & SCARD_STATE_PRESENT) != 0;
      // The upper 16 bits count card events: a remove+insert between two polls shows as
      // "present" both times with a different count.
      bool swapped = was && is && prev != SCARD_STATE_UNAWARE && (prev >> 16) != (ev >> 16);
      if ((was && !is) || swapped) emit(ReaderEventType::kCardRemoved, order[i]);
      if ((!was && is) || swapped)
        emit(ReaderEventType::kCardInserted, order[i], Bytes(s.rgbAtr, s.rgbAtr + s.cbAtr));
      known[order[i]] = ev & ~DWORD(SCARD_STATE_CHANGED);
    }
  }
  if (haveCtx) {
    {
      std::lock_guard<std::mutex> lock(watchCtxMutex_);
      haveWatchCtx_ = false;
    }
    SCardReleaseContext(ctx);
  }
}

}  // namespace gerbang::reader
