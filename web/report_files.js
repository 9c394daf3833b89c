/*
 * report_files.js: the files a reporter chose, as a list before sending
 * (the report form, /melden, and the follow-up form, /melden/volg). Each
 * file shows its name, size (KB or MB, in the page's language) and type,
 * with a button that removes it; a line under the list counts the files
 * that will be sent against the limits. Progressive enhancement only:
 * without this script the browser's own file field is all there is, and
 * choosing again replaces the choice; the server checks every file.
 *
 * The server renders web/report_files_list.html after a file field: a
 * hidden box (.file-list, data-for naming the field) carrying the limits
 * and the words in data attributes. This script shows it and keeps the
 * field's own FileList (set through DataTransfer) equal to the files
 * that may go: a file of another type, empty or over the size limit,
 * with a name the server cannot keep, or past the count limit is marked
 * in the list with the server's own words for that refusal and is left
 * out of the field, so it is not sent. Choosing again adds to the list.
 * After a removal focus goes to the next file's button, else the one
 * before, else the file field; the status line (aria-live polite) says
 * what was removed and how many remain. seal.js sends the field as it
 * finds it, so a sealed report carries the same files.
 */
(function () {
	"use strict";

	var TYPES = {
		jpg: "JPEG", jpeg: "JPEG", png: "PNG", heic: "HEIC", pdf: "PDF",
		"image/jpeg": "JPEG", "image/png": "PNG", "image/heic": "HEIC",
		"application/pdf": "PDF"
	};
	var KB = 1024;
	var MB = 1024 * 1024;

	function canSetFiles() {
		try {
			return typeof DataTransfer === "function" &&
			    new DataTransfer().items !== undefined;
		} catch (e) {
			return false;
		}
	}

	/* "JPEG", "PNG", "HEIC", "PDF", or "" for any other file. */
	function typeOf(file) {
		var dot = file.name.lastIndexOf(".");
		var ext = dot >= 0 ? file.name.slice(dot + 1).toLowerCase() : "";

		if (Object.prototype.hasOwnProperty.call(TYPES, file.type))
			return TYPES[file.type];
		if (Object.prototype.hasOwnProperty.call(TYPES, ext))
			return TYPES[ext];
		return "";
	}

	/* The name as the server checks it: 1 to nameMax UTF-8 bytes, no
	 * control characters, no slash or backslash. */
	function isNameFine(name, nameMax) {
		var bytes = new TextEncoder().encode(name).length;

		return bytes > 0 && bytes <= nameMax &&
		    !/[\u0000-\u001f\u007f-\u009f\/\\]/.test(name);
	}

	/* "340 KB" or "1,5 MB" (nl) / "1.5 MB" (en), rounded up, never 0. */
	function sizeText(bytes, locale) {
		var fmt = new Intl.NumberFormat(locale, {
			maximumFractionDigits: 1
		});

		if (bytes < MB)
			return fmt.format(Math.max(1, Math.ceil(bytes / KB))) +
			    " KB";
		return fmt.format(Math.ceil(bytes * 10 / MB) / 10) + " MB";
	}

	function fill(text, vars) {
		return text.replace(/\{(\w+)\}/g, function (m, k) {
			return Object.prototype.hasOwnProperty.call(vars, k) ?
			    String(vars[k]) : m;
		});
	}

	function setUp(box) {
		var input = document.getElementById(box.getAttribute("data-for"));
		var d = box.dataset;
		var max = parseInt(d.max, 10);
		var maxBytes = parseInt(d.maxBytes, 10);
		var nameMax = parseInt(d.nameMax, 10);
		var list = box.querySelector("ul");
		var status = box.querySelector(".file-list-status");
		var chosen = [];	/* { file, problem } in the order chosen */

		if (input === null || list === null || status === null)
			return;

		/* Marks every file; returns the ones that may be sent. */
		function judge() {
			var fine = [];
			var i, f;

			for (i = 0; i < chosen.length; i++) {
				f = chosen[i].file;
				if (typeOf(f) === "")
					chosen[i].problem = d.msgType;
				else if (f.size === 0 || f.size > maxBytes)
					chosen[i].problem = d.msgSize;
				else if (!isNameFine(f.name, nameMax))
					chosen[i].problem = d.msgBadName;
				else if (fine.length >= max)
					chosen[i].problem = d.msgTooMany;
				else {
					chosen[i].problem = "";
					fine.push(f);
				}
			}
			return fine;
		}

		function countText(nFine) {
			var bad = chosen.length - nFine;
			var t = fill(d.msgCount, {
				n: nFine, max: max, size: sizeText(maxBytes, d.locale)
			});

			if (bad > 0)
				t += " " + fill(d.msgNotSentCount, { n: bad });
			return t;
		}

		function item(entry, k) {
			var li = document.createElement("li");
			var name = document.createElement("span");
			var meta = document.createElement("span");
			var btn = document.createElement("button");
			var vh = document.createElement("span");
			var type = typeOf(entry.file);
			var p;

			li.className = "file-item";
			name.className = "file-name";
			name.textContent = entry.file.name;
			meta.className = "file-meta";
			meta.textContent = " (" + (type !== "" ? type :
			    d.msgTypeUnknown) + ", " +
			    sizeText(entry.file.size, d.locale) + ")";
			li.append(name, meta);
			if (entry.problem !== "") {
				li.className += " file-bad";
				p = document.createElement("p");
				p.className = "file-problem";
				p.id = input.id + "-problem-" + k;
				p.textContent = d.msgNotSent + " " + entry.problem;
				li.append(p);
				btn.setAttribute("aria-describedby", p.id);
			}
			btn.type = "button";
			btn.className = "secondary file-remove";
			btn.textContent = d.msgRemove;
			vh.className = "r-vh";
			vh.textContent = " " + entry.file.name;
			btn.append(vh);
			btn.addEventListener("click", function () {
				remove(k);
			});
			li.append(btn);
			return li;
		}

		/* Redraws the list and sets the field; returns the status. */
		function update() {
			var fine = judge();
			var dt = new DataTransfer();
			var i;

			for (i = 0; i < fine.length; i++)
				dt.items.add(fine[i]);
			input.files = dt.files;
			list.replaceChildren();
			for (i = 0; i < chosen.length; i++)
				list.append(item(chosen[i], i));
			list.hidden = chosen.length === 0;
			return countText(fine.length);
		}

		function remove(k) {
			var name = chosen[k].file.name;
			var buttons, next;

			chosen.splice(k, 1);
			status.textContent = fill(d.msgRemoved, { name: name }) +
			    " " + update();
			buttons = list.querySelectorAll("button.file-remove");
			next = buttons.length > k ? buttons[k] :
			    buttons.length > 0 ? buttons[buttons.length - 1] :
			    input;
			next.focus();
		}

		function isChosen(f) {
			var i, c;

			for (i = 0; i < chosen.length; i++) {
				c = chosen[i].file;
				if (c.name === f.name && c.size === f.size &&
				    c.lastModified === f.lastModified)
					return true;
			}
			return false;
		}

		input.addEventListener("change", function () {
			var files = input.files;
			var i;

			for (i = 0; i < files.length; i++)
				if (!isChosen(files[i]))
					chosen.push({ file: files[i], problem: "" });
			status.textContent = update();
		});

		if (d.hint) {
			var hint = document.getElementById(
			    input.getAttribute("aria-describedby"));
			if (hint !== null)
				hint.textContent = d.hint;
		}
		/* Files the browser kept (back to this page) join the list. */
		for (var j = 0; j < input.files.length; j++)
			chosen.push({ file: input.files[j], problem: "" });
		status.textContent = update();
		box.hidden = false;
	}

	if (!canSetFiles())
		return;
	var boxes = document.querySelectorAll(".file-list[data-for]");
	for (var i = 0; i < boxes.length; i++)
		setUp(boxes[i]);
}());
