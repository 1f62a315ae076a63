// The server the browser tests drive: a real WebApp + Server on 127.0.0.1 (a free port),
// a fresh SQLite store in the given directory, the day fixed at 2026-11-23 (so the three
// agreements show their real statuses from DOMAIN.md), and synthetic accounts.
//
// Usage: web_browser_server <state-dir>
// Prints "LISTENING <base url>" once serving; exits when stdin closes or on SIGTERM.
#include "core/web/agreement_directory.hpp"
#include "core/web/server.hpp"
#include "core/web/web_app.hpp"

#include <filesystem>
#include <iostream>
#include <string>

using namespace gerbang;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: web_browser_server <state-dir>\n";
    return 2;
  }
  try {
    std::filesystem::create_directories(argv[1]);
    store::DatabaseConfig dbc;
    dbc.sqlitePath = (std::filesystem::path(argv[1]) / "browser-test.db").string();
    std::filesystem::remove(dbc.sqlitePath);
    store::Database db(dbc);
    FixedClock clock{Date(2026, 11, 23)};
    web::StaticAgreementDirectory agreements(
        clock, {
                   {"jabar-disnakertrans", "Disnakertrans Provinsi Jawa Barat",
                    "3335/HK.03.01/Disnakertrans", Date(2021, 6, 18), Date(2023, 6, 18)},
                   {"purbalingga-dinnaker", "Dinnaker Kabupaten Purbalingga", "500.15/1564/2025",
                    Date(2025, 9, 16), Date(2027, 9, 16)},
                   {"karanganyar-ak1", "Disdagnakerkop UKM Kabupaten Karanganyar",
                    "562/4430.7.3/XI/2020", Date(2020, 11, 10), Date(2022, 11, 9)},
               });
    web::WebApp app(db, clock, agreements);
    const std::string password = "sandi-uji-0123";
    auto add = [&](const std::string& user, web::Role role, std::vector<std::string> gs) {
      web::NewAccount a;
      a.username = user;
      a.role = role;
      a.agreements = std::move(gs);
      auto st = app.accounts().create(a, password);
      if (!st.ok()) throw std::runtime_error("cannot create " + user + ": " + st.error().code);
    };
    add("operator1", web::Role::kOperator,
        {"jabar-disnakertrans", "purbalingga-dinnaker", "karanganyar-ak1"});
    add("operator2", web::Role::kOperator, {"karanganyar-ak1"});
    web::ServerConfig sc;
    sc.bindAddress = "127.0.0.1";
    sc.port = 0;
    sc.threads = 4;
    web::Server server(sc, [&app](web::Request& q, web::Response& r) { app.handle(q, r); });
    server.start();
    std::cout << "LISTENING " << server.baseUrl() << std::endl;
    std::string line;
    while (std::getline(std::cin, line)) {
    }
    server.stop();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "web_browser_server: " << e.what() << "\n";
    return 1;
  }
}
