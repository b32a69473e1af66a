import { initAll } from "/static/build/govuk-frontend.min.js";
import { initPdfProgress } from "/static/js/pdf-progress.mjs";

initAll();
initPdfProgress(document);
