// Reading parts of a zip file (XLSX, media package) under limits against zip bombs.
// Internal to gerbang::balikan.
#pragma once

#include "core/common/result.hpp"

#include <Poco/Zip/ZipArchive.h>

#include <cstdint>
#include <istream>
#include <memory>
#include <streambuf>
#include <string>

namespace gerbang::balikan::detail {

struct ZipLimits {
  std::uint64_t maxPartBytes = 0;   // uncompressed, per part
  std::uint64_t maxTotalBytes = 0;  // uncompressed, all parts read so far
  double maxRatio = 0;              // uncompressed / compressed, for parts over 1 MiB
  // For XML parts: most bytes allowed between two '>' (0 = no limit). An XML parser keeps a
  // whole tag in memory, so one gigantic tag or attribute would cost its full size.
  std::uint64_t maxTagGap = 0;
};

// An archive opened from a seekable stream, handing out limited part streams.
class ZipParts {
 public:
  // Opens the archive. Error "balikan_file_invalid" (message for operators) when it is not a
  // readable zip file. `in` must outlive this object.
  static Result<std::unique_ptr<ZipParts>> open(std::istream& in, ZipLimits limits);

  bool has(const std::string& name) const;
  // Names of every file entry, in archive order of the central directory.
  std::vector<std::string> names() const;

  // A stream over one part's uncompressed bytes. It ends early (EOF) when `stop` becomes
  // true, when a limit is passed, or when the data is corrupt; check error() afterwards.
  // Error when the part is missing or its declared sizes already break a limit.
  class Stream;
  Result<std::unique_ptr<Stream>> part(const std::string& name, const bool* stop = nullptr);

  // Reads a whole (small) part into memory under the same limits.
  Result<std::string> readAll(const std::string& name);

 private:
  ZipParts(std::istream& in, ZipLimits limits) : in_(in), limits_(limits) {}
  std::istream& in_;
  ZipLimits limits_;
  std::unique_ptr<Poco::Zip::ZipArchive> archive_;
  std::uint64_t total_ = 0;
  friend class Stream;
};

class ZipParts::Stream : public std::istream {
 public:
  ~Stream() override;
  // ok, or the reason the stream ended early (limit passed, corrupt data).
  Status error() const;
  std::uint64_t bytes() const;

 private:
  friend class ZipParts;
  struct Buf;
  explicit Stream(std::unique_ptr<Buf> buf);
  std::unique_ptr<Buf> buf_;
};

}  // namespace gerbang::balikan::detail
