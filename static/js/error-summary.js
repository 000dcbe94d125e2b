// Move focus to the error summary so screen-reader and keyboard users start from it.
const summary = document.querySelector("[data-error-summary]");
if (summary) {
  summary.focus();
}
