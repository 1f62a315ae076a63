// supervisor screens (see web/screens/index.js).
import { addScreen } from "../js/base.js";

void addScreen;
