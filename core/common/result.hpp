// Results on the request path (Envoy's policy: exceptions only at startup and for
// configuration; every refusal on the request path is a value with a stable machine code
// and an Indonesian message for operators).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace gerbang {

// A refusal or failure: `code` is stable and machine-readable (snake_case, e.g.
// "quota_exhausted"); `message` is for the operator, in Indonesian; `detail` is for logs
// and may be empty. None of them ever carries personal data or a secret.
struct Error {
  std::string code;
  std::string message;
  std::string detail;
};

// Either a T or an Error.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// A result with no value.
class Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  static Status Ok() { return {}; }
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace gerbang
