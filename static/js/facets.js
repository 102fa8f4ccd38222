// Lists apply a facet or a new sort as soon as it changes; without JavaScript the Apply button does it.
document.addEventListener("change", (event) => {
  const control = event.target;
  if (control instanceof HTMLElement && control.hasAttribute("data-autosubmit") && control.form) {
    control.form.requestSubmit();
  }
});
