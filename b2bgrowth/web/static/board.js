/* Pipeline board: drag a card to another stage column (HTML5 drag and drop).
   The card moves at once (optimistic) and the column totals follow; the move is then sent to
   POST /api/v1/opportunities/{id}/stage with the session's CSRF header. When the server says
   no (unknown stage, role, network), the card goes back where it was and the reason is shown. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("board-config").textContent);
  var board = document.getElementById("board");
  var statusEl = document.getElementById("board-status");
  if (!board) { return; }
  var dragged = null;

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || ""; }
    catch (e) { return ""; }
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key] == null ? "" : values[key]; });
  }

  function money(value) {
    var text = B2B.formatNumber(Math.abs(value), 0);
    return config.currency === "CNY" ? (value < 0 ? "-¥" : "¥") + text : text + " " + config.currency;
  }

  function say(text, bad) {
    statusEl.textContent = text;
    statusEl.style.color = bad ? "var(--bad)" : "";
  }

  // The count and total of a column, recomputed from the cards it holds now.
  function refreshTotals(column) {
    var cards = column.querySelectorAll(".opp-card");
    var total = 0;
    cards.forEach(function (card) { total += parseFloat(card.dataset.amount || "0") || 0; });
    column.querySelector(".col-count").textContent = String(cards.length);
    var amount = column.querySelector(".col-amount");
    amount.textContent = money(total);
    amount.dataset.total = String(total);
  }

  function columnOf(el) { return el && el.closest ? el.closest(".board-col") : null; }

  function move(card, target) {
    var source = columnOf(card);
    var nextSibling = card.nextElementSibling;
    var stage = target.dataset.stage;
    var name = card.dataset.name;
    target.querySelector(".board-cards").appendChild(card);  // optimistic
    refreshTotals(source); refreshTotals(target);
    card.classList.add("saving");
    say(config.messages.saving, false);

    function rollback(reason) {
      source.querySelector(".board-cards").insertBefore(card, nextSibling && nextSibling.parentNode ? nextSibling : null);
      refreshTotals(source); refreshTotals(target);
      card.classList.remove("saving");
      say(format(config.messages.failed, { name: name, reason: reason }), true);
      board.dispatchEvent(new CustomEvent("board:rollback", { detail: { id: card.dataset.id, reason: reason } }));
    }

    fetch(config.api.replace("{id}", encodeURIComponent(card.dataset.id)), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrfToken() },
      body: JSON.stringify({ stage: stage })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) {
          var detail = body && body.detail;
          rollback(typeof detail === "string" ? detail : (response.status + " " + response.statusText));
          return;
        }
        card.classList.remove("saving");
        card.dataset.status = body.status || "";
        say(format(config.messages.saved, { name: name, stage: stage }), false);
        board.dispatchEvent(new CustomEvent("board:moved", { detail: body }));
      });
    }).catch(function (error) { rollback(String(error && error.message || error)); });
  }

  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".opp-card[draggable=true]");
    if (!card) { return; }
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.id);
  });

  board.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
    board.querySelectorAll(".drop-target").forEach(function (el) { el.classList.remove("drop-target"); });
  });

  function droppable(event) {
    var column = columnOf(event.target);
    if (!dragged || !column || column.dataset.unmovable || column === columnOf(dragged)) { return null; }
    return column;
  }

  board.addEventListener("dragover", function (event) {
    var column = droppable(event);
    if (!column) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    board.querySelectorAll(".drop-target").forEach(function (el) { if (el !== column) { el.classList.remove("drop-target"); } });
    column.classList.add("drop-target");
  });

  board.addEventListener("dragleave", function (event) {
    var column = columnOf(event.target);
    if (column && !column.contains(event.relatedTarget)) { column.classList.remove("drop-target"); }
  });

  board.addEventListener("drop", function (event) {
    var column = droppable(event);
    if (!column) { return; }
    event.preventDefault();
    column.classList.remove("drop-target");
    var card = dragged;
    dragged = null;
    card.classList.remove("dragging");
    move(card, column);
  });
})();
