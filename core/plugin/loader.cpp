// The plugin loader: the only place that maps foreign code into the process. It trusts
// nothing it has not checked, in the order of docs/sdk.md ("What the host checks"), and
// reports each refusal as one line naming the file and the reason.
#include "core/plugin/loader.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>
#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace fs = std::filesystem;

namespace gerbang::plugin {
namespace {

// A manifest longer than this is not read to its end (parseManifest refuses it anyway).
constexpr std::size_t kMaxManifestScan = (1 << 20) + 1;
// Plugin text (errors, bodies) quoted in a log detail is cut here.
constexpr std::size_t kMaxDetail = 500;

std::shared_ptr<spdlog::logger> logger() {
  if (auto l = spdlog::get("plugin")) return l;
  // Inherit the application's sinks and format if it set a default logger.
  auto l = spdlog::default_logger()->clone("plugin");
  try {
    spdlog::register_logger(l);
  } catch (const spdlog::spdlog_ex&) {
    // Another thread registered it first; use that one.
    if (auto existing = spdlog::get("plugin")) return existing;
  }
  return l;
}

// A refusal is one log line: control characters a plugin put in its reason (newlines
// especially) become spaces.
std::string oneLine(std::string s) {
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return s;
}

std::string cut(std::string s) {
  if (s.size() > kMaxDetail) {
    s.resize(kMaxDetail);
    s += "...";
  }
  return s;
}

// Shared objects stay mapped until the process exits: code and static data of a plugin may
// still be referenced (a host table pointer it kept, a thread it started), and dlclose()
// would run its destructors while that is so. Held through a pointer that is never freed,
// so even static destruction at exit leaves them alone.
// The descriptor it was opened through stays open too: the object is known to the dynamic
// linker as /proc/self/fd/<n>, and debuggers and sanitizer symbolizers read that path.
void keepMapped(boost::dll::shared_library lib, int fd) {
  static std::mutex mu;
  static auto* libs = new std::deque<std::pair<boost::dll::shared_library, int>>();
  std::lock_guard<std::mutex> lock(mu);
  libs->emplace_back(std::move(lib), fd);
}

void appendTo(void* ctx, const char* data, std::size_t size) {
  if (data != nullptr && size > 0) static_cast<std::string*>(ctx)->append(data, size);
}

struct HostState {
  std::shared_mutex mu;
  gerbang_host_v1 custom{};  // from setHostServices(); size 0 = none
  LookupService lookup;
  BalikanService balikan;
  bool closed = false;  // the Registry is gone
};

// What one plugin's host table points to. Lives for the whole process: the ABI promises
// that the table stays valid "from init() until the process ends".
struct PluginContext {
  std::string agencyId;  // the file name until the manifest is accepted
  std::shared_ptr<HostState> state;
  gerbang_host_v1 table{};
};

void hostLog(void* ctx, gerbang_log_level level, const char* message) {
  if (ctx == nullptr || message == nullptr) return;
  auto* pc = static_cast<PluginContext*>(ctx);
  std::string line = "[" + pc->agencyId + "] " + redactNiks(cut(message));
  gerbang_host_v1 custom{};
  {
    std::shared_lock lock(pc->state->mu);
    custom = pc->state->custom;
  }
  if (custom.size != 0 && custom.log != nullptr) {
    custom.log(custom.ctx, level, line.c_str());
    return;
  }
  auto l = logger();
  switch (level) {
    case GERBANG_LOG_DEBUG:
      l->debug("{}", line);
      break;
    case GERBANG_LOG_INFO:
      l->info("{}", line);
      break;
    case GERBANG_LOG_WARN:
      l->warn("{}", line);
      break;
    default:
      l->error("{}", line);
      break;
  }
}

gerbang_status hostLookup(void* ctx, const char* operatorId, const char* nik,
                          const char* purposeRef, gerbang_writer* out) {
  if (ctx == nullptr || operatorId == nullptr || nik == nullptr || purposeRef == nullptr ||
      out == nullptr || out->write == nullptr)
    return GERBANG_ERROR;
  auto* pc = static_cast<PluginContext*>(ctx);
  LookupService service;
  gerbang_host_v1 custom{};
  {
    std::shared_lock lock(pc->state->mu);
    if (pc->state->closed) return GERBANG_ERROR;
    service = pc->state->lookup;
    custom = pc->state->custom;
  }
  try {
    if (service) return service(pc->agencyId, operatorId, nik, purposeRef, out);
  } catch (...) {
    return GERBANG_ERROR;
  }
  if (custom.size != 0 && custom.lookup != nullptr)
    return custom.lookup(custom.ctx, operatorId, nik, purposeRef, out);
  return GERBANG_ERROR;
}

gerbang_status hostSubmitBalikan(void* ctx, const gerbang_kv* fields, std::size_t count,
                                 gerbang_writer* out) {
  if (ctx == nullptr || (fields == nullptr && count > 0) || out == nullptr || out->write == nullptr)
    return GERBANG_ERROR;
  auto* pc = static_cast<PluginContext*>(ctx);
  BalikanService service;
  {
    std::shared_lock lock(pc->state->mu);
    if (pc->state->closed) return GERBANG_ERROR;
    service = pc->state->balikan;
  }
  if (!service) return GERBANG_ERROR;
  try {
    return service(pc->agencyId, fields, count, out);
  } catch (...) {
    return GERBANG_ERROR;
  }
}

PluginContext* newContext(std::string tag, std::shared_ptr<HostState> state) {
  // Deliberately never freed (see PluginContext); reachable through this list.
  static std::mutex mu;
  static auto* all = new std::deque<PluginContext>();
  std::lock_guard<std::mutex> lock(mu);
  PluginContext& pc = all->emplace_back();
  pc.agencyId = std::move(tag);
  pc.state = std::move(state);
  pc.table.size = sizeof(gerbang_host_v1);
  pc.table.abi_major = GERBANG_ABI_MAJOR;
  pc.table.abi_minor = GERBANG_ABI_MINOR;
  pc.table.ctx = &pc;
  pc.table.log = &hostLog;
  pc.table.lookup = &hostLookup;
  pc.table.submit_balikan = &hostSubmitBalikan;
  return &pc;
}

class LoadedPluginImpl final : public LoadedPlugin {
 public:
  LoadedPluginImpl(Manifest manifest, fs::path file, const gerbang_plugin_v1* table, void* state,
                   PluginContext* ctx)
      : manifest_(std::move(manifest)),
        file_(std::move(file)),
        table_(table),
        state_(state),
        ctx_(ctx) {}

  const Manifest& manifest() const override { return manifest_; }
  const fs::path& file() const override { return file_; }
  std::pair<unsigned, unsigned> abiVersion() const override {
    return {table_->abi_major, table_->abi_minor};
  }

  Status validateBalikan(
      const std::vector<std::pair<std::string, std::string>>& fields) const override {
    if (table_->validate_balikan == nullptr) return Status::Ok();
    std::vector<gerbang_kv> kv;
    kv.reserve(fields.size());
    for (const auto& [k, v] : fields) kv.push_back({k.c_str(), v.c_str()});
    std::string message;
    gerbang_writer w{&message, &appendTo};
    gerbang_status st = GERBANG_ERROR;
    try {
      st = table_->validate_balikan(state_, kv.data(), kv.size(), &w);
    } catch (...) {
      // Only a plugin that bypasses the SDK can get here; it still must not take us down.
      return Error{"plugin_error", "Plugin gagal memeriksa data balikan",
                   manifest_.agencyId + ": validate_balikan threw an exception"};
    }
    if (st == GERBANG_OK) return Status::Ok();
    if (st == GERBANG_INVALID)
      return Error{"balikan_invalid",
                   // Error messages never carry personal data (core/common/result.hpp).
                   message.empty() ? "Data balikan ditolak oleh plugin" : redactNiks(cut(message)),
                   ""};
    return Error{"plugin_error", "Plugin gagal memeriksa data balikan",
                 manifest_.agencyId + ": validate_balikan failed: " + redactNiks(cut(message))};
  }

  Result<RouteAnswer> handleRoute(const gerbang_route_request& request) const override {
    const Route* declared = nullptr;
    for (const Route& r : manifest_.routes)
      if (request.route_id != nullptr && r.id == request.route_id) declared = &r;
    if (table_->handle_route == nullptr || declared == nullptr ||
        (request.method != nullptr && declared->method != request.method))
      return Error{"route_not_supported", "Rute ini tidak disediakan oleh plugin perjanjian",
                   manifest_.agencyId + ": no handler for route " +
                       (request.route_id != nullptr ? request.route_id : "(null)")};
    int http = 0;
    std::string body;
    gerbang_writer w{&body, &appendTo};
    gerbang_status st = GERBANG_ERROR;
    try {
      st = table_->handle_route(state_, &ctx_->table, &request, &http, &w);
    } catch (...) {
      return Error{"plugin_error", "Plugin gagal memproses permintaan",
                   manifest_.agencyId + ": handle_route threw an exception"};
    }
    if (st == GERBANG_OK || st == GERBANG_INVALID) {
      if (http == 0) http = st == GERBANG_OK ? 200 : 400;
      if (http >= 100 && http <= 599) return RouteAnswer{http, std::move(body)};
      return Error{
          "plugin_error", "Plugin gagal memproses permintaan",
          manifest_.agencyId + ": handle_route answered HTTP status " + std::to_string(http)};
    }
    return Error{"plugin_error", "Plugin gagal memproses permintaan",
                 manifest_.agencyId + ": handle_route failed: " + redactNiks(cut(body))};
  }

  void shutdown() noexcept {
    if (table_->shutdown == nullptr) return;
    try {
      table_->shutdown(state_);
    } catch (...) {
      logger()->error("{}: shutdown threw an exception", manifest_.agencyId);
    }
  }

 private:
  Manifest manifest_;
  fs::path file_;
  const gerbang_plugin_v1* table_;
  void* state_;
  PluginContext* ctx_;
};

// An open file descriptor, closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

std::string octalMode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// The reason dlopen() gave, without the path it prefixes (the refusal names the file).
std::string loadError(const std::string& openedAs, const std::error_code& ec) {
  const char* e = ::dlerror();
  std::string msg = e != nullptr ? e : ec.message();
  if (msg.rfind(openedAs + ": ", 0) == 0) msg.erase(0, openedAs.size() + 2);
  return msg;
}

}  // namespace

std::string redactNiks(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] >= '0' && text[i] <= '9') {
      std::size_t j = i;
      while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
      if (j - i >= 16) {
        out += "[redacted]";
      } else {
        out.append(text.substr(i, j - i));
      }
      i = j;
    } else {
      out += text[i++];
    }
  }
  return out;
}

struct Registry::Impl {
  std::shared_ptr<HostState> host = std::make_shared<HostState>();
  std::vector<std::unique_ptr<LoadedPluginImpl>> plugins;
};

Registry::Registry() : impl_(std::make_unique<Impl>()) {}

Registry::~Registry() {
  // Orderly shutdown: last loaded first. The shared objects stay mapped (keepMapped()).
  for (auto it = impl_->plugins.rbegin(); it != impl_->plugins.rend(); ++it) (*it)->shutdown();
  std::unique_lock lock(impl_->host->mu);
  impl_->host->closed = true;
  impl_->host->lookup = nullptr;
  impl_->host->balikan = nullptr;
  impl_->host->custom = gerbang_host_v1{};
}

void Registry::setHostServices(const gerbang_host_v1& host) {
  std::unique_lock lock(impl_->host->mu);
  impl_->host->custom = host;
  if (impl_->host->custom.size == 0) impl_->host->custom.size = sizeof(gerbang_host_v1);
}

void Registry::setLookupService(LookupService service) {
  std::unique_lock lock(impl_->host->mu);
  impl_->host->lookup = std::move(service);
}

void Registry::setBalikanService(BalikanService service) {
  std::unique_lock lock(impl_->host->mu);
  impl_->host->balikan = std::move(service);
}

const LoadedPlugin* Registry::find(std::string_view agencyId) const {
  for (const auto& p : impl_->plugins)
    if (p->manifest().agencyId == agencyId) return p.get();
  return nullptr;
}

void Registry::loadDirectory(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw std::runtime_error("plugin directory " + dir.string() +
                             " does not exist or is not a "
                             "directory");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".so") files.push_back(e.path());
  if (ec)
    throw std::runtime_error("cannot read plugin directory " + dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) loadFile(f);
}

bool Registry::loadFile(const fs::path& file) {
  const std::string name = file.filename().string();
  auto refuse = [&](std::string reason) {
    Refusal r{file, oneLine(std::move(reason))};
    logger()->warn("{}", r.line());
    refused_.push_back(std::move(r));
    return false;
  };

  // Open once and check the very inode that will be mapped: a check on the path followed by
  // a dlopen() of the path would let someone swap the file in between.
  Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) return refuse(std::string("cannot be opened (") + std::strerror(errno) + ")");
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    return refuse(std::string("cannot be examined (") + std::strerror(errno) + ")");
  if (!S_ISREG(st.st_mode)) return refuse("not a regular file");
  // Anyone who can write the file can run code as the host, with the registry credentials.
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    return refuse("group- or world-writable (mode " + octalMode(st.st_mode) + ")");

  std::string openAs = "/proc/self/fd/" + std::to_string(fd.get());
  if (!fs::exists(openAs)) openAs = fs::absolute(file).string();
  boost::dll::shared_library lib;
  std::error_code ec;
  // rtld_now: an unresolved symbol fails here, with a reason, not later in the middle of a
  // lookup. rtld_local: one plugin's symbols never satisfy, or clash with, another's.
  lib.load(openAs, ec, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  if (ec || !lib.is_loaded()) return refuse("does not load: " + loadError(openAs, ec));
  // From here on the object is mapped for good; its constructors may have run.
  auto entryPresent = lib.has(GERBANG_PLUGIN_ENTRY_SYMBOL);
  gerbang_plugin_entry_v1_fn entry = nullptr;
  if (entryPresent) entry = &lib.get<const gerbang_plugin_v1*()>(GERBANG_PLUGIN_ENTRY_SYMBOL);
  keepMapped(std::move(lib), openAs.rfind("/proc/self/fd/", 0) == 0 ? fd.release() : -1);
  if (!entryPresent)
    return refuse(std::string("no entry symbol ") + GERBANG_PLUGIN_ENTRY_SYMBOL +
                  " (not a Gerbang plugin, or built without GERBANG_PLUGIN)");

  const gerbang_plugin_v1* table = entry();
  if (table == nullptr) return refuse("entry symbol returned no plugin table");
  if (table->size < GERBANG_PLUGIN_V1_0_SIZE)
    return refuse("plugin table too short (" + std::to_string(table->size) +
                  " bytes; ABI 1.0 needs at least " + std::to_string(GERBANG_PLUGIN_V1_0_SIZE) +
                  ")");
  if (table->abi_major != GERBANG_ABI_MAJOR)
    return refuse("ABI major version " + std::to_string(table->abi_major) + " is not the host's " +
                  std::to_string(GERBANG_ABI_MAJOR));
  if (table->abi_minor > GERBANG_ABI_MINOR)
    return refuse("ABI " + std::to_string(table->abi_major) + "." +
                  std::to_string(table->abi_minor) + " is newer than the host's " +
                  std::to_string(GERBANG_ABI_MAJOR) + "." + std::to_string(GERBANG_ABI_MINOR));
  if (table->manifest_json == nullptr) return refuse("no manifest (manifest_json is NULL)");

  Result<Manifest> manifest = parseManifest(
      std::string_view(table->manifest_json, ::strnlen(table->manifest_json, kMaxManifestScan)));
  if (!manifest) return refuse("invalid manifest: " + manifest.error().detail);
  if (const LoadedPlugin* other = find(manifest->agencyId))
    return refuse("agency id '" + manifest->agencyId + "' is already loaded from " +
                  other->file().filename().string());

  PluginContext* ctx = newContext(manifest->agencyId, impl_->host);
  void* state = nullptr;
  if (table->init != nullptr) {
    std::string error;
    gerbang_writer w{&error, &appendTo};
    gerbang_status st = GERBANG_ERROR;
    try {
      st = table->init(&ctx->table, &state, &w);
    } catch (...) {
      // A C++ plugin without the SDK trampoline let an exception cross the C boundary.
      return refuse("init() threw an exception");
    }
    if (st != GERBANG_OK)
      return refuse("init() failed: " +
                    (error.empty() ? std::string("no reason given") : redactNiks(cut(error))));
  }

  auto plugin =
      std::make_unique<LoadedPluginImpl>(std::move(manifest).value(), file, table, state, ctx);
  logger()->info("{}: loaded agreement plugin '{}' ({})", name, plugin->manifest().agencyId,
                 plugin->manifest().agencyName);
  loadedView_.push_back(plugin.get());
  impl_->plugins.push_back(std::move(plugin));
  return true;
}

}  // namespace gerbang::plugin
