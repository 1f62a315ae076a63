// The screens beyond the shell, one module each; importing a module registers its screens
// (web/js/base.js addScreen). Order in the menu comes from each screen's `order`.
import "./balikan.js";
import "./supervisor.js";
import "./admin.js";
import "./reader.js";
