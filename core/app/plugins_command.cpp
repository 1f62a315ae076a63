// gerbang plugins [--format table|json]
#include "core/app/agreement_view.hpp"
#include "core/app/app_context.hpp"
#include "core/app/args.hpp"
#include "core/app/command.hpp"
#include "core/app/config.hpp"
#include "core/app/table.hpp"

namespace gerbang::app {
namespace {

int run(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"format", true}});
  const std::string format = a.choice("format", {"table", "json"});
  plugin::Registry& registry = ctx.plugins();
  const std::string dir = ctx.config().getString(keys::kPluginsDir);

  if (format == "json") {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("plugin_dir", dir);
    Poco::JSON::Array::Ptr loaded = new Poco::JSON::Array;
    for (const plugin::LoadedPlugin* p : registry.loaded()) {
      Poco::JSON::Object::Ptr l = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      l->set("id", p->manifest().agencyId);
      l->set("agency", p->manifest().agencyName);
      l->set("file", p->file().filename().string());
      l->set("screens", int(p->manifest().screens.size()));
      l->set("routes", int(p->manifest().routes.size()));
      loaded->add(l);
    }
    o->set("loaded", loaded);
    Poco::JSON::Array::Ptr refused = new Poco::JSON::Array;
    for (const plugin::Refusal& r : registry.refused()) {
      Poco::JSON::Object::Ptr l = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      l->set("file", r.file.filename().string());
      l->set("reason", r.reason);
      refused->add(l);
    }
    o->set("refused", refused);
    printJson(ctx.out(), o);
    return kExitOk;
  }

  ctx.out() << "Plugin perjanjian di " << dir << "\n\n";
  Table loaded({"ID", "BERKAS", "INSTANSI", "LAYAR", "RUTE"});
  for (const plugin::LoadedPlugin* p : registry.loaded())
    loaded.add({p->manifest().agencyId, p->file().filename().string(), p->manifest().shortName,
                std::to_string(p->manifest().screens.size()),
                std::to_string(p->manifest().routes.size())});
  ctx.out() << "Dimuat: " << loaded.size() << "\n";
  if (loaded.size() > 0) loaded.print(ctx.out());
  if (!registry.refused().empty()) {
    ctx.out() << "\nDitolak: " << registry.refused().size() << "\n";
    Table refused({"BERKAS", "ALASAN"});
    for (const plugin::Refusal& r : registry.refused())
      refused.add({r.file.filename().string(), r.reason});
    refused.print(ctx.out());
  }
  return kExitOk;
}

}  // namespace

Command pluginsCommand() {
  return {"plugins", "list the agreement plugins loaded, and those refused with the reason",
          "Usage: gerbang plugins [--format table|json]\n\n"
          "Loads every plugin in plugins.dir as the host does at startup and shows which were\n"
          "loaded and which were refused, with the reason.\n\n"
          "Options:\n"
          "  --format FORMAT   table (default) or json\n",
          run};
}

}  // namespace gerbang::app
