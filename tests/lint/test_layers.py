"""test_layers.py: server/deploy/layers.py finds what it is for.

A fake source tree in a temporary folder, with its own configuration,
and object files compiled from it by cc into a fake CMake build folder:
a clean tree passes (exit 0); a planted include of a higher folder and a
planted circle of calls between two files are each found (exit 1) and
named, and so is a circle of two files of which one does not include
the module header; a circle inside a listed module, or made only of
files being removed, is not a finding. A build folder without object
files, a module header that does not exist and a circle in the
allow-list are usage errors (exit 2), so the check cannot pass by
finding nothing to check.

Run from anywhere: python3 -m unittest discover -s tests/lint
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

TOP = os.path.normpath(os.path.join(os.path.dirname(
    os.path.abspath(__file__)), "..", ".."))
SCRIPT = os.path.join(TOP, "server", "deploy", "layers.py")

CONF = """\
allow util
allow server/low   util
allow server/high  server/low util
module low/mod.h   a.c and b.c share mod.h, the module's contract
removing server/high/old_*.c   being cut
"""

# A clean tree: high calls low, low calls util; nothing calls back.
CLEAN = {
    "server/low/mod.h": "int a(int);\nint b(int);\n",
    "util/u.h": "int u(void);\n",
    "util/u.c": '#include "util/u.h"\nint u(void) { return 1; }\n',
    "server/low/low.h": "int low(void);\n",
    "server/low/low.c": ('#include "util/u.h"\n#include "low/low.h"\n'
                         "int low(void) { return u(); }\n"),
    "server/high/high.c": ('#include "low/low.h"\n'
                           "int high(void);\n"
                           "int high(void) { return low(); }\n"),
}


class Layers(unittest.TestCase):
	def setUp(self):
		self.dir = tempfile.mkdtemp(prefix="layers-test-")
		self.top = os.path.join(self.dir, "src")
		self.build = os.path.join(self.dir, "build")
		self.conf = os.path.join(self.dir, "layers.conf")
		with open(self.conf, "w") as f:
			f.write(CONF)

	def tearDown(self):
		shutil.rmtree(self.dir)

	def tree(self, files):
		for rel, text in files.items():
			path = os.path.join(self.top, rel)
			os.makedirs(os.path.dirname(path), exist_ok=True)
			with open(path, "w") as f:
				f.write(text)
		for rel in files:
			path = os.path.join(self.top, rel)
			if rel.endswith(".c"):
				obj = os.path.join(self.build, "CMakeFiles",
				    "ghfake.dir", rel + ".o")
				os.makedirs(os.path.dirname(obj), exist_ok=True)
				subprocess.run(["cc", "-c", "-o", obj,
				    "-I", self.top, "-I", os.path.join(self.top,
				    "server"), path], check=True)

	def run_check(self):
		p = subprocess.run([sys.executable, SCRIPT, "--top", self.top,
		    "--config", self.conf, self.build], capture_output=True,
		    text=True)
		return p.returncode, p.stdout + p.stderr

	def test_clean(self):
		self.tree(CLEAN)
		rc, out = self.run_check()
		self.assertEqual(rc, 0, out)

	def test_include_up(self):
		files = dict(CLEAN)
		files["server/low/bad.c"] = ('#include "util/u.h"\n'
		    '#include "high/high.h"\nint bad(void);\n'
		    "int bad(void) { return u(); }\n")
		files["server/high/high.h"] = "int high(void);\n"
		self.tree(files)
		rc, out = self.run_check()
		self.assertEqual(rc, 1, out)
		self.assertIn("server/low/bad.c:2: folder server/low may not "
		    "include server/high/...", out)

	def test_circle(self):
		files = dict(CLEAN)
		files["server/high/p.c"] = ("int q(int);\nint p(int);\n"
		    "int p(int n) { return n ? q(n - 1) : 0; }\n")
		files["server/high/q.c"] = ("int p(int);\nint q(int);\n"
		    "int q(int n) { return n ? p(n - 1) : 1; }\n")
		self.tree(files)
		rc, out = self.run_check()
		self.assertEqual(rc, 1, out)
		self.assertIn("circle: server/high/p.c server/high/q.c", out)
		self.assertIn("server/high/p.c -> server/high/q.c: q", out)
		self.assertIn("server/high/q.c -> server/high/p.c: p", out)

	def test_module_circle_allowed(self):
		files = dict(CLEAN)
		files["server/low/mod.h"] = "int a(int);\nint b(int);\n"
		files["server/low/a.c"] = ('#include "low/mod.h"\n'
		    "int a(int n) { return n ? b(n - 1) : 0; }\n")
		files["server/low/b.c"] = ('#include "low/mod.h"\n'
		    "int b(int n) { return n ? a(n - 1) : 1; }\n")
		self.tree(files)
		rc, out = self.run_check()
		self.assertEqual(rc, 0, out)

	def test_module_needs_the_header(self):
		# The same circle, but b.c does not include the contract.
		files = dict(CLEAN)
		files["server/low/mod.h"] = "int a(int);\nint b(int);\n"
		files["server/low/a.c"] = ('#include "low/mod.h"\n'
		    "int a(int n) { return n ? b(n - 1) : 0; }\n")
		files["server/low/b.c"] = ("int a(int);\nint b(int);\n"
		    "int b(int n) { return n ? a(n - 1) : 1; }\n")
		self.tree(files)
		rc, out = self.run_check()
		self.assertEqual(rc, 1, out)
		self.assertIn("circle: server/low/a.c server/low/b.c", out)

	def test_being_removed(self):
		files = dict(CLEAN)
		files["server/high/old_p.c"] = ("int old_q(int);\n"
		    "int old_p(int);\n"
		    "int old_p(int n) { return n ? old_q(n - 1) : 0; }\n")
		files["server/high/old_q.c"] = ("int old_p(int);\n"
		    "int old_q(int);\n"
		    "int old_q(int n) { return n ? old_p(n - 1) : 1; }\n")
		self.tree(files)
		rc, out = self.run_check()
		self.assertEqual(rc, 0, out)
		self.assertIn("note: circle being removed: "
		    "server/high/old_p.c server/high/old_q.c", out)

	def test_module_header_missing(self):
		files = dict(CLEAN)
		del files["server/low/mod.h"]
		self.tree(files)
		rc, out = self.run_check()
		self.assertEqual(rc, 2, out)
		self.assertIn("module header low/mod.h does not exist", out)

	def test_no_objects(self):
		self.tree({"util/u.h": "int u(void);\n",
		    "server/low/mod.h": "int a(int);\n"})
		os.makedirs(self.build)
		rc, out = self.run_check()
		self.assertEqual(rc, 2, out)
		self.assertIn("build first", out)

	def test_config_circle(self):
		self.tree(CLEAN)
		with open(self.conf, "a") as f:
			f.write("allow server/odd server/high\n"
			    "allow server/up server/odd\n")
		with open(self.conf) as f:
			text = f.read().replace("allow util\n",
			    "allow util server/up\n")
		with open(self.conf, "w") as f:
			f.write(text)
		rc, out = self.run_check()
		self.assertEqual(rc, 2, out)
		self.assertIn("run in a circle", out)

	def test_usage(self):
		p = subprocess.run([sys.executable, SCRIPT, "--help"],
		    capture_output=True, text=True)
		self.assertEqual(p.returncode, 0)
		self.assertIn("usage: layers.py", p.stdout)
		p = subprocess.run([sys.executable, SCRIPT, "--bogus"],
		    capture_output=True, text=True)
		self.assertEqual(p.returncode, 2)


if __name__ == "__main__":
	unittest.main()
