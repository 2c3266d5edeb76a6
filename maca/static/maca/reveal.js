// Conditional reveals on radios (written by hand, not by frontend/build.sh).
//
// GOV.UK Frontend's own reveal sets aria-expanded on the radio, which ARIA does not allow on a
// radio (axe: aria-allowed-attr). A radio with data-maca-reveals="<id>" shows that element
// while it is checked, and hides it when another radio of its group is. Without JavaScript the
// element is always shown (the hiding class only hides under .govuk-frontend-supported).
for (const input of document.querySelectorAll("input[type=radio][data-maca-reveals]")) {
  const target = document.getElementById(input.dataset.macaReveals);
  if (!target) continue;
  const sync = () =>
    target.classList.toggle("govuk-radios__conditional--hidden", !input.checked);
  const group = input.form
    ? input.form.querySelectorAll(`input[type=radio][name="${CSS.escape(input.name)}"]`)
    : [input];
  for (const radio of group) radio.addEventListener("change", sync);
  sync();
}
