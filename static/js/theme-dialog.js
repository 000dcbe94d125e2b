// The theme dialog's pictures point into the DSFR's artwork files only once the dialog opens:
// a browser fetches an SVG <use> reference as soon as it is in the page, shown or not.
const dialog = document.getElementById("fr-theme-modal");
dialog?.addEventListener(
  "dsfr.disclose",
  () => {
    for (const use of dialog.querySelectorAll("use[data-href]")) {
      use.setAttribute("href", use.dataset.href);
    }
  },
  { once: true },
);
