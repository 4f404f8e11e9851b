/* waymark: the "which stage am I at?" guide, run in place.
   Without this script every question is its own page and every answer a
   link. With it, the guide's first page asks one question at a time with
   radio buttons and a Continue button, keeps the answers in the address
   (?stage-1=finished&route=third-sector) so Back, Forward, bookmarks and
   shared links work, and works out deadline dates on result pages.
   The questions and results come from wizard/data.js, written by the build. */
(function () {
  "use strict";
  var box = document.getElementById("wizard");
  if (!box) return;
  var data = window.WaymarkWizard;
  var siteTitle = document.title.split(" – ").pop();
  var status = null;

  /* Make an element: el("p", {class: "x"}, ["text", child]). Text is never parsed as HTML. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  /* ---- Deadline dates ---- */

  var DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];

  function parts(iso) {
    var d = new Date(iso + "T00:00:00Z");
    return { day: DAYS[d.getUTCDay()], date: d.getUTCDate(), month: MONTHS[d.getUTCMonth()], year: d.getUTCFullYear() };
  }
  function longDate(iso) {
    var p = parts(iso);
    return p.day + " " + p.date + " " + p.month + " " + p.year;
  }
  function readDate(form) {
    var v = ["day", "month", "year"].map(function (n) { return form.elements[n].value.trim(); });
    if (!v.every(function (x) { return /^\d+$/.test(x); }) || v[2].length !== 4) return null;
    var iso = v[2] + "-" + ("0" + v[1]).slice(-2) + "-" + ("0" + v[0]).slice(-2);
    var check = new Date(iso + "T00:00:00Z");
    return isNaN(check) || check.toISOString().slice(0, 10) !== iso ? null : iso;
  }

  function showError(form, on) {
    form.querySelector(".error-summary").hidden = !on;
    form.querySelector(".error-message").hidden = !on;
    form.querySelector(".date-input").classList.toggle("has-error", on);
    Array.prototype.forEach.call(form.querySelectorAll("input"), function (i) {
      if (on) i.setAttribute("aria-invalid", "true");
      else i.removeAttribute("aria-invalid");
    });
    if (on) form.querySelector(".error-summary").focus();
  }

  /* The bank holidays of the calendar the form's procedure follows (its
     section's data-calendar), or null if the build's table lacks them. */
  function holidaysFor(form) {
    var section = form.closest("[data-calendar]");
    var cal = section && window.WaymarkDates.calendar(window.WaymarkHolidays,
      section.getAttribute("data-calendar"));
    return cal ? cal.holidays : null;
  }

  /* The years the bank-holiday table covers: working days outside them cannot be counted. */
  var table = window.WaymarkHolidays;
  var covered = table && table.firstYear ? [table.firstYear, table.lastYear] : null;

  function today() {
    var now = new Date();
    return now.getFullYear() + "-" + ("0" + (now.getMonth() + 1)).slice(-2) + "-" + ("0" + now.getDate()).slice(-2);
  }
  function isCovered(iso) {
    var year = +iso.slice(0, 4);
    return !covered || (year >= covered[0] && year <= covered[1]);
  }

  /* "by Friday 5 February 2027", and whether it has passed. */
  function dateWords(iso, dir) {
    var words = (dir === "before" ? "on or before " : "by ") + longDate(iso);
    return iso < today() ? words + " (this date has passed)" : words;
  }

  /* What one time limit comes to from `start`, in words. */
  function outcome(li, start, holidays) {
    var unit = li.getAttribute("data-unit"), dir = li.getAttribute("data-direction");
    var amounts = [li.getAttribute("data-min"), li.getAttribute("data-max")].filter(Boolean);
    var ends = amounts.map(function (n) { return window.WaymarkDates.shift(start, +n, unit, dir, holidays); });
    if (ends.some(function (e) { return !e; })) return "outside the dates this guide can work out";
    if (unit === "working-days" && !ends.concat([start]).every(isCovered)) {
      return "not worked out: this guide knows bank holidays only from " + covered[0] + " to " + covered[1];
    }
    if (ends.length === 1) return dateWords(ends[0], dir);
    var words = li.getAttribute("data-ends").split("|");
    return ends.map(function (end, i) { return words[i] + ": " + dateWords(end, dir); }).join("; ");
  }

  function calculate(form) {
    var start = readDate(form);
    var items = form.querySelectorAll("[data-unit]");
    // Old results go first: a wrong date must not leave dates from an earlier one.
    Array.prototype.forEach.call(items, function (li) { li.textContent = ""; });
    showError(form, !start);
    if (!start) return;
    var holidays = holidaysFor(form);
    Array.prototype.forEach.call(items, function (li) {
      var notes = [li.getAttribute("data-either")];
      if (li.hasAttribute("data-assumed")) notes.push("start assumed: " + li.getAttribute("data-assumed"));
      notes = notes.filter(function (n) { return n; });
      li.appendChild(el("strong", {}, [li.getAttribute("data-what")]));
      li.appendChild(document.createTextNode(": " + outcome(li, start, holidays)));
      if (notes.length) li.appendChild(document.createTextNode(" (" + notes.join("; ") + ")"));
    });
  }

  function setUpCalculators(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll("[data-calculator]"), function (section) {
      section.hidden = false;
      Array.prototype.forEach.call(section.querySelectorAll("form"), function (form) {
        form.addEventListener("submit", function (e) {
          e.preventDefault();
          calculate(form);
        });
      });
    });
  }

  /* A time limit that may count from several events (the same data-deadline in several
     forms): if the route passed a form's data-via node, keep that form's, else those with none. */
  function narrowByRoute(scope, passed) {
    var items = Array.prototype.slice.call(scope.querySelectorAll("[data-deadline]"));
    var vias = items.map(function (li) { return li.closest("form").getAttribute("data-via"); });
    var via = function (li) { return vias[items.indexOf(li)]; };
    items.forEach(function (item) {
      var mine = items.filter(function (li) { return li.dataset.deadline === item.dataset.deadline; });
      var keep = mine.filter(function (li) { return passed.indexOf(via(li)) >= 0; });
      if (!keep.length) keep = mine.filter(function (li) { return !via(li); });
      if (mine.length < 2 || !keep.length || mine[0] !== item) return;
      mine.forEach(function (li) {
        if (keep.indexOf(li) < 0) li.remove();
        else if (keep.length === 1) li.removeAttribute("data-either");
      });
    });
    scope.querySelectorAll("form.calculator-group").forEach(function (form) {
      if (!form.querySelector("[data-deadline]")) form.remove();
    });
  }

  setUpCalculators(box);
  if (!data) return;
  if (!box.hasAttribute("data-wizard-start")) {
    upgradeLinks();
    return;
  }

  /* ---- The guide ---- */

  /* The answer given at node `id`, also under any of its old ids (aliases). */
  function answerAt(params, id) {
    if (params.has(id)) return params.get(id);
    var old = Object.keys(data.aliases).filter(function (a) {
      return data.aliases[a] === id && params.has(a);
    })[0];
    return old ? params.get(old) : null;
  }

  /* Follows the answers in `params` from the start; returns where they lead. */
  function walk(params) {
    var trail = [], id = data.start;
    for (var steps = 0; steps < 1000; steps++) {
      var node = data.nodes[id];
      if (!node) break;
      if (node.kind === "ending") return { trail: trail, at: id, done: true };
      var key = answerAt(params, id);
      var choice = node.question.choices.filter(function (c) { return c.key === key; })[0];
      if (!choice) return { trail: trail, at: id, done: false };
      trail.push({ id: id, key: key, question: node.question.text, label: choice.label });
      if (choice.next === null) return { trail: trail, at: id, done: true };
      id = data.aliases[choice.next] || choice.next;
    }
    return { trail: [], at: data.start, done: false };
  }

  function address(trail) {
    var query = trail.map(function (t) {
      return encodeURIComponent(t.id) + "=" + encodeURIComponent(t.key);
    }).join("&");
    return location.pathname + (query ? "?" + query : "");
  }

  function go(trail) {
    history.pushState(null, "", address(trail));
    show(walk(new URLSearchParams(location.search)), true);
  }

  function answersSoFar(trail) {
    if (!trail.length) return null;
    var list = el("dl", { class: "answer-list" });
    trail.forEach(function (t, i) {
      var change = el("a", { href: address(trail.slice(0, i)) }, [
        "Change", el("span", { class: "visually-hidden" }, [" your answer to: " + t.question]),
      ]);
      change.addEventListener("click", function (e) {
        e.preventDefault();
        go(trail.slice(0, i));
      });
      list.appendChild(el("div", {}, [
        el("dt", {}, [t.question]), el("dd", {}, [t.label]), el("dd", { class: "change" }, [change]),
      ]));
    });
    return el("section", { class: "answers-so-far", "aria-labelledby": "answers-heading" }, [
      el("h2", { id: "answers-heading" }, ["Your answers"]), list,
    ]);
  }

  /* Who may use the procedure, the reader's own choices and a decision's notes, as the
     build wrote them (HTML from escaped Markdown), under their headings. */
  function questionNotes(q) {
    var parts = [["Who can use this procedure", q.eligibility], ["Your choices", q.options], ["Notes", q.notes]];
    var children = [];
    parts.forEach(function (p) {
      if (!p[1] || !p[1].length) return;
      children.push(el("h2", {}, [p[0]]));
      children.push(el("ul", {}, p[1].map(function (html) {
        var li = el("li");
        li.innerHTML = html;
        return li;
      })));
    });
    return children.length ? el("div", { class: "question-notes" }, children) : null;
  }

  function questionForm(q, onChoice) {
    var radios = q.choices.map(function (c, i) {
      return el("div", { class: "radio" }, [
        el("input", { type: "radio", name: "answer", id: "answer-" + i, value: c.key }),
        el("label", { for: "answer-" + i }, [c.label]),
      ]);
    });
    var error = el("p", { class: "error-message", id: "answer-error", hidden: "" }, [
      el("span", { class: "visually-hidden" }, ["Error: "]), "Select an answer",
    ]);
    var fieldset = el("fieldset", { class: "choices" }, [
      el("legend", {}, [
        el("span", { class: "wizard-caption" }, ["Which stage am I at?"]),
        el("h1", { id: "wizard-heading", tabindex: "-1" }, [q.text]),
      ]),
    ].concat(q.hint ? [el("p", { class: "hint" }, [q.hint])] : [],
      q.notesBlock ? [q.notesBlock] : [], [error], radios));
    var summary = el("div", { class: "error-summary", role: "alert", tabindex: "-1", hidden: "" }, [
      el("h2", { class: "error-summary-title" }, ["There is a problem"]),
      el("ul", {}, [el("li", {}, [el("a", { href: "#answer-0" }, ["Select an answer"])])]),
    ]);
    var form = el("form", { class: "wizard-form", novalidate: "" }, [
      summary, fieldset, el("button", { type: "submit", class: "button" }, ["Continue"]),
    ]);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var picked = form.querySelector("input:checked");
      summary.hidden = error.hidden = !!picked;
      fieldset.classList.toggle("has-error", !picked);
      if (!picked) {
        fieldset.setAttribute("aria-describedby", "answer-error");
        summary.focus();
        return;
      }
      onChoice(q.choices.filter(function (c) { return c.key === picked.value; })[0]);
    });
    return form;
  }

  function show(state, moveFocus) {
    var node = data.nodes[state.at];
    box.textContent = "";
    if (state.done) {
      // Result markup is written by the build from escaped templates.
      box.innerHTML = node.result;
      narrowByRoute(box, state.trail.map(function (t) { return t.id; }).concat([state.at]));
      setUpCalculators(box);
    } else {
      var q = node.question;
      q.notesBlock = questionNotes(q);
      box.appendChild(questionForm(q, function (choice) {
        go(state.trail.concat([{ id: state.at, key: choice.key, question: q.text, label: choice.label }]));
      }));
    }
    var answers = answersSoFar(state.trail);
    if (answers) box.appendChild(answers);
    var heading = document.getElementById("wizard-heading");
    document.title = heading.textContent + " – " + siteTitle;
    if (state.done) status.textContent = "Result: " + heading.textContent;
    if (moveFocus) heading.focus();
  }

  /* On a question's own page (reached by a link), ask with radio buttons too;
     Continue goes to the page the chosen answer links to. */
  function upgradeLinks() {
    var list = box.querySelector(".wizard-choices");
    var heading = document.getElementById("wizard-heading");
    if (!list || !heading) return;
    var links = Array.prototype.slice.call(list.querySelectorAll("a.choice"));
    var q = {
      text: heading.textContent,
      hint: (box.querySelector(".hint") || {}).textContent,
      notesBlock: box.querySelector(".question-notes"),
      choices: links.map(function (a) { return { key: a.getAttribute("href"), label: a.textContent }; }),
    };
    var form = questionForm(q, function (choice) { location.href = choice.key; });
    box.textContent = "";
    box.appendChild(form);
  }

  status = el("p", { class: "visually-hidden", role: "status", "aria-live": "polite" });
  box.parentNode.insertBefore(status, box.nextSibling);
  var restart = document.querySelector(".wizard-restart a");
  if (restart) {
    restart.addEventListener("click", function (e) {
      e.preventDefault();
      go([]);
    });
  }
  window.addEventListener("popstate", function () {
    show(walk(new URLSearchParams(location.search)), true);
  });
  show(walk(new URLSearchParams(location.search)), false);
})();
