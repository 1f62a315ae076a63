#include "core/balikan/zip_parts.hpp"

#include "core/balikan/row.hpp"

#include <Poco/Exception.h>
#include <Poco/Zip/ZipStream.h>

#include <array>
#include <cstring>

namespace gerbang::balikan::detail {

struct ZipParts::Stream::Buf : std::streambuf {
  Buf(ZipParts& owner, std::string name, std::unique_ptr<Poco::Zip::ZipInputStream> src,
      std::uint64_t limit, const bool* stop)
      : owner(owner), name(std::move(name)), src(std::move(src)), limit(limit), stop(stop) {}

  int_type underflow() override {
    if (!failure.empty() || (stop != nullptr && *stop)) return traits_type::eof();
    src->read(data.data(), std::streamsize(data.size()));
    auto n = std::size_t(src->gcount());
    if (src->bad()) {
      failure = "bagian " + name + " rusak (data zip tidak dapat dibuka)";
      return traits_type::eof();
    }
    if (n == 0) return traits_type::eof();
    count += n;
    owner.total_ += n;
    if (count > limit) {
      failure = "bagian " + name + " lebih dari " + std::to_string(limit) +
                " byte setelah dibuka (batas terhadap bom zip)";
      return traits_type::eof();
    }
    if (owner.limits_.maxTotalBytes > 0 && owner.total_ > owner.limits_.maxTotalBytes) {
      failure = "isi berkas lebih dari " + std::to_string(owner.limits_.maxTotalBytes) +
                " byte setelah dibuka (batas terhadap bom zip)";
      return traits_type::eof();
    }
    if (std::uint64_t gapLimit = owner.limits_.maxTagGap; gapLimit > 0) {
      const char* p = data.data();
      const char* e = p + n;
      for (;;) {
        const auto* q = static_cast<const char*>(std::memchr(p, '>', std::size_t(e - p)));
        gap += std::uint64_t((q ? q : e) - p);
        if (gap > gapLimit) {
          failure = "bagian " + name + ": lebih dari " + std::to_string(gapLimit) +
                    " byte tanpa penutup tag XML (isi tidak wajar)";
          return traits_type::eof();
        }
        if (q == nullptr) break;
        gap = 0;
        p = q + 1;
      }
    }
    setg(data.data(), data.data(), data.data() + n);
    return traits_type::to_int_type(data[0]);
  }

  ZipParts& owner;
  std::string name;
  std::unique_ptr<Poco::Zip::ZipInputStream> src;
  std::uint64_t limit;
  const bool* stop;
  std::uint64_t count = 0;
  std::uint64_t gap = 0;  // bytes since the last '>'
  std::string failure;
  std::array<char, 64 * 1024> data{};
};

ZipParts::Stream::Stream(std::unique_ptr<Buf> buf)
    : std::istream(buf.get()), buf_(std::move(buf)) {}
ZipParts::Stream::~Stream() = default;

Status ZipParts::Stream::error() const {
  if (buf_->failure.empty()) return Status::Ok();
  return fileError(buf_->failure);
}

std::uint64_t ZipParts::Stream::bytes() const { return buf_->count; }

Result<std::unique_ptr<ZipParts>> ZipParts::open(std::istream& in, ZipLimits limits) {
  std::unique_ptr<ZipParts> z(new ZipParts(in, limits));
  try {
    in.clear();
    in.seekg(0);
    z->archive_ = std::make_unique<Poco::Zip::ZipArchive>(in);
  } catch (const Poco::Exception& e) {
    return fileError("Berkas bukan arsip zip yang dapat dibaca (XLSX adalah arsip zip)",
                     e.displayText());
  } catch (const std::exception& e) {
    return fileError("Berkas bukan arsip zip yang dapat dibaca (XLSX adalah arsip zip)", e.what());
  }
  if (z->archive_->headerBegin() == z->archive_->headerEnd()) {
    return fileError("Berkas bukan arsip zip yang dapat dibaca (XLSX adalah arsip zip)",
                     "no zip entries");
  }
  return z;
}

bool ZipParts::has(const std::string& name) const {
  return archive_->findHeader(name) != archive_->headerEnd();
}

std::vector<std::string> ZipParts::names() const {
  std::vector<std::string> out;
  for (auto it = archive_->headerBegin(); it != archive_->headerEnd(); ++it) {
    if (it->second.isFile()) out.push_back(it->first);
  }
  return out;
}

Result<std::unique_ptr<ZipParts::Stream>> ZipParts::part(const std::string& name,
                                                         const bool* stop) {
  auto it = archive_->findHeader(name);
  if (it == archive_->headerEnd())
    return fileError("bagian " + name + " tidak ada di dalam berkas");
  const auto& h = it->second;
  std::uint64_t declared = h.getUncompressedSize();
  std::uint64_t packed = h.getCompressedSize();
  std::uint64_t limit = limits_.maxPartBytes > 0 ? limits_.maxPartBytes : UINT64_MAX;
  if (declared > limit) {
    return fileError("bagian " + name + " berukuran " + std::to_string(declared) +
                     " byte setelah dibuka, lebih dari batas " + std::to_string(limit));
  }
  // Ordinary spreadsheets compress 5-30 times; a deflate bomb reaches about 1000.
  if (limits_.maxRatio > 0 && declared > (1u << 20) &&
      double(declared) > limits_.maxRatio * double(packed > 0 ? packed : 1)) {
    return fileError("bagian " + name + " dipadatkan lebih dari " +
                     std::to_string(int(limits_.maxRatio)) + " kali (batas terhadap bom zip)");
  }
  try {
    in_.clear();
    auto src = std::make_unique<Poco::Zip::ZipInputStream>(in_, h, true);
    // The declared size may lie: the stream also counts what it actually inflates.
    auto buf = std::make_unique<Stream::Buf>(*this, name, std::move(src), limit, stop);
    return std::unique_ptr<Stream>(new Stream(std::move(buf)));
  } catch (const Poco::Exception& e) {
    return fileError("bagian " + name + " tidak dapat dibuka", e.displayText());
  }
}

Result<std::string> ZipParts::readAll(const std::string& name) {
  auto s = part(name);
  if (!s.ok()) return s.error();
  std::string out;
  std::array<char, 64 * 1024> chunk{};
  auto& stream = *s.value();
  while (stream.read(chunk.data(), std::streamsize(chunk.size())), stream.gcount() > 0) {
    out.append(chunk.data(), std::size_t(stream.gcount()));
  }
  Status st = stream.error();
  if (!st.ok()) return st.error();
  return out;
}

}  // namespace gerbang::balikan::detail
