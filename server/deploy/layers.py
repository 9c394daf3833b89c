#!/usr/bin/env python3
"""Checks that gehoord's folders are layers and that no files form a circle.

usage: layers.py [--help] [--top DIR] [--config FILE] BUILD_DIR

1. Includes: every #include "..." of a .c or .h file under server/ and
   crypto/ names a header of its own folder or of a folder the
   configuration (layers.conf next to this script) allows that folder to
   include. Each violation is printed as
       FILE:LINE: folder X may not include Y/...
   The allow-list itself must have no circle: no arrow runs up.
2. Circles: from the object files of BUILD_DIR (a built CMake directory;
   nm on BUILD_DIR/CMakeFiles/*.dir/**/*.o), a file calls another when it
   uses a global symbol the other defines. Every strongly connected
   component of more than one source file is a circle and is printed with
   the symbols that tie it. A circle is allowed only inside one module of
   the configuration: files of one folder that share one internal header
   as their contract (every file of the circle includes it).

Exit status: 0 clean, 1 findings, 2 usage or setup error (no object files
in BUILD_DIR, an unreadable or malformed configuration, nm missing).

Configuration lines (# starts a comment):
    allow FOLDER [FOLDER...]        FOLDER may include the folders after it
    module HEADER REASON...         a circle among the files that include
                                    HEADER (a path like survey/def_load.h,
                                    relative to server/ or the top) is the
                                    module's contract, not a defect
    removing PATTERN REASON...      files (glob on the path from the top)
                                    whose circles are being cut: a circle
                                    made only of such files is reported as
                                    a note, not a finding
"""

import fnmatch
import os
import re
import subprocess
import sys

ROOTS = ("server", "crypto", "util")
# The compiler's search order for "..." includes: the including file's
# folder, then CMakeLists.txt's include_directories.
SEARCH = ("", "server", "crypto")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


class Usage(Exception):
	pass


def read_config(path):
	allow, modules, removing = {}, [], []
	try:
		lines = open(path, encoding="utf-8").read().splitlines()
	except OSError as e:
		raise Usage("cannot read %s: %s" % (path, e.strerror))
	for n, raw in enumerate(lines, 1):
		words = raw.split("#", 1)[0].split()
		if not words:
			continue
		kind = words[0]
		if kind == "allow" and len(words) >= 2:
			if words[1] in allow:
				raise Usage("%s:%d: folder %s listed twice" %
				    (path, n, words[1]))
			allow[words[1]] = set(words[2:])
		elif kind == "module" and len(words) >= 3:
			modules.append((words[1], " ".join(words[2:])))
		elif kind == "removing" and len(words) >= 3:
			removing.append(words[1])
		else:
			raise Usage("%s:%d: expected 'allow FOLDER [FOLDER...]', "
			    "'module HEADER REASON' or 'removing PATTERN REASON'" %
			    (path, n))
	return allow, modules, removing


def sources(top):
	"""Yields the paths (relative to top) of the .c and .h files."""
	for root in ROOTS:
		for dirpath, dirnames, filenames in os.walk(os.path.join(top, root)):
			dirnames.sort()
			for name in sorted(filenames):
				if name.endswith((".c", ".h")):
					yield os.path.relpath(os.path.join(dirpath, name), top)


def resolve(top, rel, inc):
	for base in (os.path.dirname(rel),) + SEARCH[1:]:
		cand = os.path.normpath(os.path.join(base, inc))
		if os.path.isfile(os.path.join(top, cand)):
			return cand
	if os.path.isfile(os.path.join(top, os.path.normpath(inc))):
		return os.path.normpath(inc)
	return None


def includes(top, rel):
	"""Yields (line number, include text, resolved path or None)."""
	with open(os.path.join(top, rel), encoding="utf-8",
	    errors="replace") as f:
		for n, line in enumerate(f, 1):
			m = INCLUDE.match(line)
			if m:
				yield n, m.group(1), resolve(top, rel, m.group(1))


def allow_circle(allow):
	"""Returns a circle of the allow-list as a list of folders, or None."""
	state = {}

	def visit(f, path):
		state[f] = 1
		for g in sorted(allow.get(f, ())):
			if state.get(g) == 1:
				return path[path.index(g):] + [g] if g in path else [f, g]
			if g not in state:
				c = visit(g, path + [g])
				if c:
					return c
		state[f] = 2
		return None

	for f in sorted(allow):
		if f not in state:
			c = visit(f, [f])
			if c:
				return c
	return None


def check_includes(top, allow, out):
	found = 0
	for rel in sources(top):
		folder = os.path.dirname(rel)
		for n, text, target in includes(top, rel):
			if target is None:
				out.append("%s:%d: cannot find \"%s\"" % (rel, n, text))
				found += 1
				continue
			to = os.path.dirname(target)
			if to == folder or not to.startswith(ROOTS):
				continue
			if to not in allow.get(folder, ()):
				out.append("%s:%d: folder %s may not include %s/..." %
				    (rel, n, folder, to))
				found += 1
	return found


def objects(top, build):
	"""Maps each source file (relative to the top) to one object file.
	An object whose source is gone (a stale build) is left out."""
	found = {}
	base = os.path.join(build, "CMakeFiles")
	for dirpath, dirnames, filenames in os.walk(base):
		dirnames.sort()
		for name in sorted(filenames):
			if not name.endswith(".o"):
				continue
			path = os.path.join(dirpath, name)
			rel = os.path.relpath(path, base)
			parts = rel.split(os.sep)
			if not parts[0].endswith(".dir") or len(parts) < 3:
				continue
			src = os.path.join(*parts[1:])[:-2]
			if src.startswith(tuple(r + os.sep for r in ROOTS)) and \
			    os.path.isfile(os.path.join(top, src)):
				found.setdefault(src, path)
	return found


def symbols(paths):
	"""Returns {path: (defined, undefined)}: the global symbols of each
	object file, read by one nm for all of them (nm's start-up, run
	once a file, took most of this script's time)."""
	paths = list(paths)
	found = {p: (set(), set()) for p in paths}
	if not paths:
		return found
	try:
		text = subprocess.run(["nm", "-P", "-g", "-A", "--"] + paths,
		    check=True, capture_output=True, text=True).stdout
	except FileNotFoundError:
		raise Usage("nm is missing (binutils)")
	except subprocess.CalledProcessError as e:
		raise Usage("nm: %s" % e.stderr.strip())
	for line in text.splitlines():
		path, sep, rest = line.partition(": ")
		f = rest.split()
		if not sep or path not in found or len(f) < 2:
			continue
		defined, undefined = found[path]
		if f[1] in ("U", "w", "v"):
			undefined.add(f[0])
		else:
			defined.add(f[0])
	return found


def call_graph(objs):
	"""Returns {file: {file it calls: set of symbols}}."""
	by_path = symbols(objs.values())
	syms = {src: by_path[o] for src, o in objs.items()}
	owner = {}
	for src, (defined, _) in syms.items():
		for s in defined:
			owner.setdefault(s, src)
	graph = {src: {} for src in syms}
	for src, (_, undefined) in syms.items():
		for s in undefined:
			to = owner.get(s)
			if to and to != src:
				graph[src].setdefault(to, set()).add(s)
	return graph


def components(graph):
	"""Tarjan's strongly connected components, iteratively."""
	index, low, on, stack, out = {}, {}, set(), [], []
	counter = 0
	for root in sorted(graph):
		if root in index:
			continue
		work = [(root, iter(sorted(graph[root])))]
		index[root] = low[root] = counter
		counter += 1
		stack.append(root)
		on.add(root)
		while work:
			v, it = work[-1]
			w = next(it, None)
			if w is not None:
				if w not in index:
					index[w] = low[w] = counter
					counter += 1
					stack.append(w)
					on.add(w)
					work.append((w, iter(sorted(graph[w]))))
				elif w in on:
					low[v] = min(low[v], index[w])
				continue
			work.pop()
			if work:
				low[work[-1][0]] = min(low[work[-1][0]], low[v])
			if low[v] == index[v]:
				comp = []
				while True:
					w = stack.pop()
					on.discard(w)
					comp.append(w)
					if w == v:
						break
				out.append(sorted(comp))
	return out


def header_path(top, header):
	for base in SEARCH:
		cand = os.path.normpath(os.path.join(base, header))
		if os.path.isfile(os.path.join(top, cand)):
			return cand
	return None


def module_of(top, comp, modules):
	"""The module (header, reason) whose contract holds comp, or None:
	every file of comp lies in the header's folder and includes it."""
	for header, reason in modules:
		path = header_path(top, header)
		if path is None:
			continue
		folder = os.path.dirname(path)
		if all(os.path.dirname(f) == folder and
		    any(t == path for _, _, t in includes(top, f)) for f in comp):
			return header, reason
	return None


def check_circles(top, build, modules, removing, out, notes):
	objs = objects(top, build)
	if not objs:
		raise Usage("no object files of %s under %s: build first" %
		    ("/".join(ROOTS), os.path.join(build, "CMakeFiles")))
	graph = call_graph(objs)
	found = 0
	for comp in components(graph):
		if len(comp) < 2:
			continue
		ties = []
		for f in comp:
			for g in sorted(graph[f]):
				if g in comp:
					ties.append("    %s -> %s: %s" %
					    (f, g, " ".join(sorted(graph[f][g]))))
		if module_of(top, comp, modules):
			continue
		if all(any(fnmatch.fnmatch(f, p) for p in removing) for f in comp):
			notes.append("note: circle being removed: %s" % " ".join(comp))
			continue
		out.append("circle: %s" % " ".join(comp))
		out.extend(ties)
		found += 1
	return found


def main(argv):
	here = os.path.dirname(os.path.abspath(__file__))
	top = os.path.normpath(os.path.join(here, "..", ".."))
	config = os.path.join(here, "layers.conf")
	build = None
	args = list(argv)
	try:
		while args:
			a = args.pop(0)
			if a in ("-h", "--help"):
				print(__doc__.strip())
				return 0
			if a in ("--top", "--config"):
				if not args:
					raise Usage("%s needs an argument" % a)
				if a == "--top":
					top = args.pop(0)
				else:
					config = args.pop(0)
			elif a.startswith("-") or build is not None:
				raise Usage("unexpected argument %s" % a)
			else:
				build = a
		if build is None:
			raise Usage("BUILD_DIR is missing")
		allow, modules, removing = read_config(config)
		circle = allow_circle(allow)
		if circle:
			raise Usage("%s: the allowed includes run in a circle: %s" %
			    (config, " -> ".join(circle)))
		for header, _ in modules:
			if header_path(top, header) is None:
				raise Usage("%s: module header %s does not exist" %
				    (config, header))
		out, notes = [], []
		found = check_includes(top, allow, out)
		found += check_circles(top, build, modules, removing, out, notes)
	except Usage as e:
		print("layers: %s" % e, file=sys.stderr)
		print("usage: layers.py [--help] [--top DIR] [--config FILE] "
		    "BUILD_DIR", file=sys.stderr)
		return 2
	for line in notes:
		print(line)
	for line in out:
		print(line)
	if found:
		print("layers: %d finding%s" % (found, "" if found == 1 else "s"),
		    file=sys.stderr)
		return 1
	return 0


if __name__ == "__main__":
	sys.exit(main(sys.argv[1:]))
