/*
 * followup.js: shows a follow-up question on the same page as soon as the
 * answer that calls for it is given, and hides it again when that answer
 * changes. Progressive enhancement only: without this script the server
 * shows the follow-up after Next, as it always did.
 *
 * The server marks each such question with data-show-if, a condition on
 * answers of this page (server/survey/def_live.c describes the arrays),
 * and renders the ones that do not apply yet with the hidden attribute.
 * Conditions name only earlier questions, so one pass in page order
 * decides them all, as the server does. A hidden follow-up's controls
 * are disabled, so nothing of it is sent. Focus never moves; the polite
 * live region says how many questions came up. The field "followup" tells
 * the server the respondent saw them here.
 */
(function () {
	"use strict";

	var form = document.querySelector("form.survey-form");
	if (!form || !form.querySelector("[data-show-if]"))
		return;
	var boxes = form.querySelectorAll("[data-show-if]");
	var note = form.querySelector(".followup-note");
	var conds = [];
	var i;

	for (i = 0; i < boxes.length; i++) {
		try {
			conds.push(JSON.parse(boxes[i].getAttribute("data-show-if")));
		} catch (e) {
			return;	/* leave the page to the server */
		}
	}

	var flag = document.createElement("input");
	flag.type = "hidden";
	flag.name = "followup";
	flag.value = "1";
	form.appendChild(flag);

	/* The answer to field name: shown, values given. */
	function answer(name) {
		var els = form.querySelectorAll("[name=\"" + name + "\"]");
		var a = { shown: false, values: [] };
		var j, el, box;

		for (j = 0; j < els.length; j++) {
			el = els[j];
			box = el.closest("[data-show-if]");
			if (box && box.hidden)
				continue;
			a.shown = true;
			if (el.type === "radio" || el.type === "checkbox") {
				if (el.checked)
					a.values.push(el.value);
			} else if (el.value !== "") {
				a.values.push(el.value);
			}
		}
		return a;
	}

	function number(a) {
		var j;

		if (a.values.indexOf("_prefer_not") >= 0)
			return null;
		for (j = 0; j < a.values.length; j++)
			if (/^-?[0-9]+$/.test(a.values[j]))
				return parseInt(a.values[j], 10);
		return null;
	}

	function holds(c) {
		var j, a, n, hit;

		switch (c[0]) {
		case "all":
			for (j = 1; j < c.length; j++)
				if (!holds(c[j]))
					return false;
			return true;
		case "any":
			for (j = 1; j < c.length; j++)
				if (holds(c[j]))
					return true;
			return false;
		case "not":
			return !holds(c[1]);
		}
		a = answer(c[1]);
		if (!a.shown)
			return c[0] === "answered" && c[2] === false;
		switch (c[0]) {
		case "any_of":
		case "none_of":
			hit = false;
			for (j = 0; j < a.values.length; j++)
				if (c[2].indexOf(a.values[j]) >= 0)
					hit = true;
			return a.values.length > 0 &&
			    (c[0] === "any_of" ? hit : !hit);
		case "answered":
			return (a.values.length > 0) === c[2];
		case "at_least":
			n = number(a);
			return n !== null && n >= c[2];
		case "at_most":
			n = number(a);
			return n !== null && n <= c[2];
		}
		return false;
	}

	function setShown(box, isShown) {
		var els = box.querySelectorAll("input, textarea, select");
		var j;

		box.hidden = !isShown;
		for (j = 0; j < els.length; j++)
			els[j].disabled = !isShown;
	}

	function update() {
		var j, isShown, came = 0;

		for (j = 0; j < boxes.length; j++) {
			isShown = holds(conds[j]);
			if (isShown === !boxes[j].hidden)
				continue;
			setShown(boxes[j], isShown);
			if (isShown)
				came++;
		}
		if (came > 0 && note) {
			note.textContent = came === 1 ?
			    note.getAttribute("data-one") :
			    note.getAttribute("data-many").replace("{n}",
			    String(came));
		}
	}

	/* As the page came: hidden ones send nothing. */
	for (i = 0; i < boxes.length; i++)
		if (boxes[i].hidden)
			setShown(boxes[i], false);
	form.addEventListener("change", update);
	form.addEventListener("input", update);
}());
