// The NHS.UK design system's small enhancements (the header's menu, password reveal, error summary
// focus). Every page works without them; the body's class tells the stylesheet they have run.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();
