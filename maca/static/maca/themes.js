// The library's themes while naming a theme at the meeting (decision 54): a progressive
// enhancement. Without JavaScript the form offers a select of the library's themes and a text
// box for a new one. With it, the select is hidden and the text box suggests the library's
// titles as they are typed (a native <datalist>, which browsers and screen readers announce
// as a combobox's list); a library title typed or chosen links the new theme to it.
for (const form of document.querySelectorAll("form[data-library-themes]")) {
  const input = form.querySelector("input[data-library-list]");
  const select = form.querySelector("[data-library-select]");
  if (!input || !select) continue;
  input.setAttribute("list", input.dataset.libraryList);
  select.querySelector("select").value = "";
  select.hidden = true;
  const label = form.querySelector(`label[for="${input.id}"]`);
  if (label) label.textContent = "A theme from the library, or a new theme";
}
