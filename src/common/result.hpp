// result<T>: a value, or an error message built where the failure started
// (with errno and the object it concerns) and extended with context on the way
// up. For start-up and control-path failures only; the data path returns small
// status enums instead (see STYLE.md "How errors flow").
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace ef {

struct error {
    std::string message;

    // "opening /dev/shm/x: Permission denied" <- "creating book: " + that
    error&& context(std::string_view what) && {
        message.insert(0, ": ");
        message.insert(0, what);
        return std::move(*this);
    }
};

template <typename T>
class [[nodiscard]] result {
public:
    result(T value) : v_(std::move(value)) {}
    result(error e) : v_(std::move(e)) {}

    bool ok() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }
    T& value() & { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    const T& value() const& { return std::get<0>(v_); }
    T* operator->() { return &std::get<0>(v_); }
    T& operator*() & { return std::get<0>(v_); }
    const error& err() const& { return std::get<1>(v_); }
    error&& err() && { return std::get<1>(std::move(v_)); }

private:
    std::variant<T, error> v_;
};

struct ok_t {};
using status = result<ok_t>;
inline status ok() { return ok_t{}; }

inline error make_error(std::string message) { return error{std::move(message)}; }

} // namespace ef
