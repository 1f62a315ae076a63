// Balikan import benchmark: generates a synthetic upload (Karanganyar AK-I schema, 5 fields,
// two regex patterns, one enum), then measures each phase in its own child process so that
// the peak RSS reported (getrusage of the child) belongs to that phase alone:
//   csv-split     baseline: std::getline + split on ';' (no quoting, no validation)
//   csv-import    CsvReader + Schema (patterns through SimplePattern) + counting sink
//   csv-stdregex  the same with the patterns through std::regex: what std::regex costs
//   csv-nopattern the same without the two patterns
//   xlsx-inflate  baseline: inflate the sheet part and count rows
//   xlsx-import   XlsxReader + Schema + counting sink
// Each phase runs `rounds` times (default 3); the round with the median CPU time is shown.
// Usage: balikan_import_bench [rows] [rounds] [work-dir]. Every NIK is synthetic; the files
// are deleted at the end unless a work dir was given (then balikan.csv/.xlsx stay there).
//    or: balikan_import_bench --xlsx FILE [rounds]: the two XLSX phases on a workbook made
// elsewhere (e.g. by LibreOffice from a CSV in this layout; see docs/benchmarks.md).
#include "core/balikan/csv_reader.hpp"
#include "core/balikan/export.hpp"
#include "core/balikan/import.hpp"
#include "core/balikan/xlsx_reader.hpp"
#include "core/balikan/zip_parts.hpp"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
using namespace gerbang;
using namespace gerbang::balikan;

namespace {

plugin::BalikanPolicy karanganyar(bool patterns) {
  using T = plugin::BalikanField::Type;
  auto f = [](std::string n, std::string l, T t, bool req, int max, std::string pat,
              std::vector<std::string> vals = {}) {
    plugin::BalikanField x;
    x.name = std::move(n);
    x.label = std::move(l);
    x.type = t;
    x.required = req;
    x.maxLength = max;
    x.pattern = std::move(pat);
    x.values = std::move(vals);
    return x;
  };
  plugin::BalikanPolicy p;
  p.fields = {f("nik", "NIK", T::kNik, true, 0, ""),
              f("nomor_id_kartu_pencari_kerja", "Nomor ID Kartu Tanda Pencari Kerja", T::kString,
                false, 16, patterns ? "^3313-[0-9]{4}-[0-9]{6}$" : ""),
              f("nomor_register", "Nomor Register Pemohon Kartu AK I", T::kString, true, 22,
                patterns ? "^AK1-3313-[0-9]{6}-[0-9]{6}$" : ""),
              f("jenis_usaha", "Jenis Usaha", T::kString, false, 100, ""),
              f("class_usaha", "Class Usaha", T::kEnum, false, 0, "",
                {"mikro", "kecil", "menengah", "besar"})};
  return p;
}

// Synthetic record i: a well-formed NIK of Karanganyar (33.13), unique per i.
Record record(std::uint64_t i) {
  static const char* kUsaha[] = {"Warung makan", "Bengkel motor", "Jasa jahit", "Toko kelontong",
                                 "Konveksi; sablon"};
  static const char* kClass[] = {"mikro", "kecil", "menengah", "besar", ""};
  char nik[17], id[17], reg[23];
  unsigned day = 1 + i % 28 + (i % 2 ? 40 : 0);
  std::snprintf(nik, sizeof nik, "3313%02u%02u%02u%02u%04u", unsigned(1 + i % 17), day,
                unsigned(1 + (i / 28) % 12), unsigned(70 + (i / 336) % 30),
                unsigned(1 + (i / 10080) % 9999));
  std::snprintf(id, sizeof id, "3313-2025-%06u", unsigned(i % 1000000));
  std::snprintf(reg, sizeof reg, "AK1-3313-250101-%06u", unsigned(i % 1000000));
  return {i + 2, {nik, i % 3 ? id : "", reg, kUsaha[i % 5], kClass[i % 5]}};
}

class CountingSink final : public ImportSink {
 public:
  void onValid(const Record& r) override { bytes += r.values[0].size(); }
  void onInvalid(std::uint64_t, const std::vector<RowError>& e) override {
    if (firstError.empty()) firstError = e.front().message();
  }
  std::uint64_t bytes = 0;
  std::string firstError;
};

struct Measured {
  double seconds = 0;
  std::uint64_t rows = 0;
  double cpuSeconds = 0;  // user + system time of the child: robust when the machine is busy
  long maxRssKb = 0;
  bool ok = false;
};

int gRounds = 3;

// Runs `phase` in a child; the child reports rows and seconds through a pipe.
Measured inChild(const std::function<std::uint64_t()>& phase) {
  int fd[2];
  if (pipe(fd) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    auto t0 = std::chrono::steady_clock::now();
    std::uint64_t rows = phase();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    char buf[64];
    int n = std::snprintf(buf, sizeof buf, "%llu %.6f", static_cast<unsigned long long>(rows), s);
    if (write(fd[1], buf, std::size_t(n)) != n) _exit(2);
    _exit(0);
  }
  close(fd[1]);
  char buf[64] = {};
  ssize_t got = read(fd[0], buf, sizeof buf - 1);
  close(fd[0]);
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  Measured m;
  unsigned long long rows = 0;
  if (got > 0 && std::sscanf(buf, "%llu %lf", &rows, &m.seconds) == 2) {
    m.rows = rows;
    m.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  m.maxRssKb = ru.ru_maxrss;
  m.cpuSeconds = double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                 double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  return m;
}

// The phase `gRounds` times, each in a fresh child; the median by CPU time.
Measured median(const std::function<std::uint64_t()>& phase) {
  std::vector<Measured> all;
  for (int i = 0; i < gRounds; ++i) all.push_back(inChild(phase));
  std::sort(all.begin(), all.end(),
            [](const Measured& a, const Measured& b) { return a.cpuSeconds < b.cpuSeconds; });
  for (const auto& m : all) {
    if (!m.ok) return m;
  }
  return all[all.size() / 2];
}

void report(const char* name, const Measured& m, std::uint64_t expectRows, std::uint64_t bytes) {
  if (!m.ok || m.rows != expectRows) {
    std::printf("%-14s FAILED (rows %llu, expected %llu)\n", name,
                static_cast<unsigned long long>(m.rows),
                static_cast<unsigned long long>(expectRows));
    return;
  }
  // Per core: rows per CPU second of the child (the phase is single-threaded).
  std::printf(
      "%-14s %9llu rows  wall %7.3f s  cpu %7.3f s  %10.0f rows/s/core  %7.1f MB/s/core"
      "  peak RSS %6.1f MiB\n",
      name, static_cast<unsigned long long>(m.rows), m.seconds, m.cpuSeconds,
      double(m.rows) / m.cpuSeconds, double(bytes) / m.cpuSeconds / 1e6,
      double(m.maxRssKb) / 1024.0);
}

std::uint64_t importFile(const fs::path& p, bool xlsx, bool patterns, bool fast = true) {
  auto schema = Schema::compile(karanganyar(patterns), fast).value();
  std::ifstream in(p, std::ios::binary);
  CountingSink sink;
  Result<ImportSummary> r = Error{};
  if (xlsx) {
    // An upload is held in memory (never written to disk): read it whole, as the web layer does.
    std::stringstream mem;
    mem << in.rdbuf();
    XlsxReader reader(mem);
    r = importRows(reader, schema, sink);
  } else {
    CsvReader reader(in);
    r = importRows(reader, schema, sink);
  }
  if (!r.ok()) {
    std::fprintf(stderr, "import failed: %s\n", r.error().message.c_str());
    return 0;
  }
  if (r->invalid > 0) std::fprintf(stderr, "invalid rows, first: %s\n", sink.firstError.c_str());
  return r->valid;
}

// The XLSX phases on `xlsx`, which holds `rows` data rows.
// `rows` is also what the inflate baseline must count, unless `foreign` (a workbook made
// elsewhere may carry empty styled <row>s after the data).
void xlsxPhases(const fs::path& xlsx, std::uint64_t rows, bool foreign = false) {
  auto xlsxBytes = fs::file_size(xlsx);
  Measured inflate = median([&] {
    std::ifstream in(xlsx, std::ios::binary);
    auto zip = detail::ZipParts::open(in, {}).value();
    auto part = zip->part("xl/worksheets/sheet1.xml").value();
    std::uint64_t n = 0;
    std::string chunk(1 << 16, '\0');
    const std::string_view tag = "</row>";
    std::size_t carry = 0;  // bytes of `tag` matched at the end of the previous chunk
    while (part->read(chunk.data(), std::streamsize(chunk.size())), part->gcount() > 0) {
      for (std::streamsize i = 0; i < part->gcount(); ++i) {
        carry = chunk[std::size_t(i)] == tag[carry] ? carry + 1 : (chunk[std::size_t(i)] == '<');
        if (carry == tag.size()) {
          ++n;
          carry = 0;
        }
      }
    }
    return n - 1;  // the header row
  });
  report("xlsx-inflate", inflate, foreign ? inflate.rows : rows, xlsxBytes);
  report("xlsx-import", median([&] { return importFile(xlsx, true, true); }), rows, xlsxBytes);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 && std::string_view(argv[1]) == "--xlsx") {
    gRounds = argc > 3 ? std::max(1, std::atoi(argv[3])) : 3;
    fs::path file = argv[2];
    // Count the data rows once (all must be valid in this layout).
    std::uint64_t rows = inChild([&] { return importFile(file, true, true); }).rows;
    std::printf("%s: %llu valid rows, %.1f MB, median of %d rounds\n", file.c_str(),
                static_cast<unsigned long long>(rows), double(fs::file_size(file)) / 1e6, gRounds);
    xlsxPhases(file, rows, true);
    return 0;
  }
  std::uint64_t rows = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  fs::path dir =
      argc > 3 ? fs::path(argv[3])
               : fs::temp_directory_path() / ("gerbang-balikan-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::path csv = dir / "balikan.csv", xlsx = dir / "balikan.xlsx";
  auto schema = Schema::compile(karanganyar(true)).value();
  gRounds = rounds;

  // Generate both files in children so their memory does not show in the measured phases.
  inChild([&] {
    std::ofstream out(csv, std::ios::binary);
    CsvExportWriter w(out, schema);
    for (std::uint64_t i = 0; i < rows; ++i) w.add(record(i));
    return w.rows();
  });
  // A sheet holds at most 1,048,576 rows (Excel's limit, also the reader's): above that only
  // CSV is measured (e.g. the 10M-row streaming check).
  const bool withXlsx = rows < 1048576;
  if (withXlsx)
    inChild([&] {
      XlsxExportWriter w(schema);
      for (std::uint64_t i = 0; i < rows; ++i) w.add(record(i));
      std::ofstream out(xlsx, std::ios::binary);
      w.finish(out, TimePoint{});
      return w.rows();
    });
  auto csvBytes = fs::file_size(csv), xlsxBytes = withXlsx ? fs::file_size(xlsx) : 0;
  std::printf(
      "rows %llu, CSV %.1f MB, XLSX %s (5 fields, Karanganyar AK-I schema), "
      "median of %d rounds\n",
      static_cast<unsigned long long>(rows), double(csvBytes) / 1e6,
      withXlsx ? (std::to_string(double(xlsxBytes) / 1e6) + " MB").c_str()
               : "not made (over Excel's 1,048,576 rows)",
      rounds);

  report("csv-split", median([&] {
           std::ifstream in(csv, std::ios::binary);
           std::string line;
           std::uint64_t n = 0, fields = 0;
           std::getline(in, line);
           while (std::getline(in, line)) {
             for (char c : line) fields += c == ';';
             ++n;
           }
           return fields > 0 ? n : 0;
         }),
         rows, csvBytes);
  report("csv-import", median([&] { return importFile(csv, false, true); }), rows, csvBytes);
  report("csv-stdregex", median([&] { return importFile(csv, false, true, false); }), rows,
         csvBytes);
  report("csv-nopattern", median([&] { return importFile(csv, false, false); }), rows, csvBytes);
  if (!withXlsx) {
    if (argc <= 3) fs::remove_all(dir);
    return 0;
  }
  xlsxPhases(xlsx, rows);

  if (argc <= 3) fs::remove_all(dir);
  return 0;
}
