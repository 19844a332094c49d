// Progressive enhancement only: every page works without this file.
document.addEventListener("submit", (event) => {
  const message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("click", (event) => {
  const toggle = event.target.closest(".nav-toggle");
  if (!toggle) return;
  const nav = document.getElementById("nav");
  const open = nav.classList.toggle("open");
  toggle.setAttribute("aria-expanded", String(open));
});

// Look-up fields: a visible text box names a partner; the hidden field carries its id.
const lookupTimers = new WeakMap();
document.addEventListener("input", (event) => {
  const box = event.target.closest("input[data-lookup]");
  if (!box) return;
  const hidden = document.getElementById(box.dataset.target);
  const list = document.getElementById(box.getAttribute("list"));
  const chosen = Array.from(list.options).find((o) => o.value === box.value);
  hidden.value = chosen ? chosen.dataset.id : "";
  clearTimeout(lookupTimers.get(box));
  if (chosen || box.value.trim().length < 2) return;
  lookupTimers.set(box, setTimeout(async () => {
    const reply = await fetch(box.dataset.lookup + "?q=" + encodeURIComponent(box.value.trim()), { credentials: "same-origin" });
    if (!reply.ok) return;
    list.replaceChildren(...(await reply.json()).map((item) => {
      const option = document.createElement("option");
      option.value = item.label;
      option.dataset.id = item.id;
      return option;
    }));
  }, 200));
});

// "Add a line" in tables of repeated fields: a copy of the last line with the next index.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-row]");
  if (!button) return;
  const body = button.parentElement.querySelector("table[data-rows] tbody");
  const last = body.lastElementChild;
  const copy = last.cloneNode(true);
  const next = (text) => text.replace(/\.(\d+)\./, (_, n) => "." + (Number(n) + 1) + ".");
  copy.querySelectorAll("*").forEach((element) => {
    ["name", "id", "list", "data-target"].forEach((attribute) => {
      if (element.hasAttribute(attribute)) element.setAttribute(attribute, next(element.getAttribute(attribute)));
    });
    if (element.tagName === "INPUT" && element.type !== "checkbox") element.value = "";
    if (element.tagName === "DATALIST") element.replaceChildren();
    element.removeAttribute("aria-invalid");
  });
  copy.querySelectorAll(".field-error").forEach((e) => e.remove());
  body.appendChild(copy);
});

// Fields that apply to one kind of partner only (gender, birth date) follow the kind select.
function followKind() {
  const kind = document.querySelector("select[name=kind]");
  if (!kind || !kind.closest(".record-form")) return;
  const apply = () => document.querySelectorAll("[data-person-only]").forEach((field) => { field.hidden = kind.value !== "person"; });
  kind.addEventListener("change", apply);
  apply();
}
document.addEventListener("DOMContentLoaded", followKind);

// The deal board: dropping a card on another column posts the board's move form for that
// deal; the stage rules (and the checklist) decide, and the board comes back with the outcome.
document.addEventListener("dragstart", (event) => {
  const card = event.target.closest(".deal-card[draggable=true]");
  if (card) event.dataTransfer.setData("text/plain", card.dataset.deal);
});
document.addEventListener("dragover", (event) => {
  const column = event.target.closest(".board-column");
  if (!column) return;
  event.preventDefault();
  column.classList.add("drop");
});
document.addEventListener("dragleave", (event) => {
  const column = event.target.closest(".board-column");
  if (column && !column.contains(event.relatedTarget)) column.classList.remove("drop");
});
document.addEventListener("drop", (event) => {
  const column = event.target.closest(".board-column");
  const form = document.getElementById("board-move");
  if (!column || !form) return;
  event.preventDefault();
  column.classList.remove("drop");
  const deal = event.dataTransfer.getData("text/plain");
  const card = document.querySelector(`.deal-card[data-deal="${deal}"]`);
  if (!card || card.closest(".board-column") === column) return;
  form.action = "/deals/" + deal + "/stage";
  form.elements.stageId.value = column.dataset.stage;
  form.submit();
});

// Sales lines: a changed quantity or price recomputes the amount (quantity × price, to the
// kopeck), as the server would for a line sent without one.
document.addEventListener("input", (event) => {
  const field = event.target;
  if (!field.closest("table.sale-lines") || !/\.(quantity|price)$/.test(field.name || "")) return;
  const row = field.closest("tr");
  const value = (name) => {
    const input = row.querySelector(`input[name$=".${name}"]`);
    const text = input ? input.value.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".") : "";
    return text === "" ? NaN : Number(text);
  };
  const amount = row.querySelector('input[name$=".amount"]');
  const quantity = value("quantity"), price = value("price");
  if (!amount || Number.isNaN(quantity) || Number.isNaN(price)) return;
  // Half away from zero, as the server rounds (Math.round alone rounds −0.5 up).
  const cents = Math.sign(quantity * price) * Math.round(Math.abs(quantity * price) * 100);
  amount.value = (cents / 100).toFixed(2);
});

// Survey forms: a conditional question is shown only while the answer it depends on is one of
// its values (the server checks the same rule again).
(function () {
  const form = document.querySelector("form[data-survey]");
  if (!form) return;
  const chosen = (name) => {
    const values = [];
    for (const input of form.querySelectorAll("input, select, textarea")) {
      if (input.name !== name && !input.name.startsWith(name + ".")) continue;
      if (input.closest("[data-question][hidden]")) continue;
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) continue;
      if (input.value !== "") values.push(input.value);
    }
    return values;
  };
  const update = () => {
    for (const block of form.querySelectorAll("[data-condition-name]")) {
      const wanted = block.dataset.conditionValues.split("\u001f");
      block.hidden = !chosen(block.dataset.conditionName).some((v) => wanted.includes(v));
    }
  };
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
