package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"go.yaml.in/yaml/v3"
	"golang.org/x/tools/txtar"

	"github.com/whyopen/whyopen/generator/internal/hub/hubtest"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// hubRecordings holds the recorded Hub responses the scripts are served.
var hubRecordings, _ = filepath.Abs(filepath.Join("internal", "hub", "testdata", "hub"))

var update = flag.Bool("update", false, "rewrite the expected files in testdata/script/*.txtar from the actual output")

// TestMain lets the scripts run the real whyopen command: the test binary
// is installed as "whyopen" on the scripts' PATH and runs main.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"whyopen": main})
}

// TestScript runs testdata/script/*.txtar. Each starts with the clean site
// of testdata/site.txtar in $WORK/site (files of the script's own archive
// win), and today is 2026-11-23 (WHYOPEN_TODAY). HF_ENDPOINT is a server
// of the recorded Hub responses in internal/hub/testdata/hub (see package
// hubtest), and $HUBTEST_TOKEN the token it takes for gated files. Besides testscript's
// commands, scripts have:
//
//	rename OLD NEW      rename file OLD to NEW, a Go string literal's body, so
//	                    that NEW can hold control characters (\n, \x1b)
//	untime              replace stdout with itself, durations ("in 39ms") made "in T"
//	replace FILE OLD NEW  replace the one occurrence of OLD in FILE with NEW;
//	                      \n in OLD and NEW is a newline
//	sametree DIR1 DIR2  fail unless the two trees hold the same paths, each
//	                    with the same bytes
func TestScript(t *testing.T) {
	site, err := txtar.ParseFile(filepath.Join("testdata", "site.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		UpdateScripts:       *update,
		Setup: func(env *testscript.Env) error {
			env.Setenv("WHYOPEN_TODAY", "2026-11-23")
			// The Hub is the recorded one; nothing touches the network.
			hubSrv := hubtest.New(hubRecordings)
			env.Defer(hubSrv.Close)
			env.Setenv("HF_ENDPOINT", hubSrv.URL)
			env.Setenv("HF_TOKEN", "")
			env.Setenv("HUBTEST_TOKEN", hubtest.Token)
			for _, f := range site.Files {
				p := filepath.Join(env.WorkDir, "site", filepath.FromSlash(f.Name))
				if _, err := os.Stat(p); err == nil {
					continue
				}
				if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
					return err
				}
				if err := os.WriteFile(p, f.Data, 0o666); err != nil {
					return err
				}
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"rename": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 2 {
					ts.Fatalf("usage: rename OLD NEW")
				}
				to, err := strconv.Unquote(`"` + args[1] + `"`)
				ts.Check(err)
				ts.Check(os.Rename(ts.MkAbs(args[0]), ts.MkAbs(to)))
			},
			"untime": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 0 {
					ts.Fatalf("usage: untime")
				}
				ts.Stdout().Write([]byte(durations.ReplaceAllString(ts.ReadFile("stdout"), " in T")))
			},
			"replace": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 3 {
					ts.Fatalf("usage: replace FILE OLD NEW")
				}
				s := ts.ReadFile(args[0])
				old, repl := unescape(args[1]), unescape(args[2])
				if n := strings.Count(s, old); n != 1 {
					ts.Fatalf("%s holds %q %d times, want once", args[0], old, n)
				}
				ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(strings.Replace(s, old, repl, 1)), 0o666))
			},
			"sametree": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 2 {
					ts.Fatalf("usage: sametree DIR1 DIR2")
				}
				a, b := readTree(ts, args[0]), readTree(ts, args[1])
				var diffs []string
				for p, data := range a {
					if other, ok := b[p]; !ok {
						diffs = append(diffs, "only in "+args[0]+": "+p)
					} else if other != data {
						diffs = append(diffs, "differs: "+p)
					}
				}
				for p := range b {
					if _, ok := a[p]; !ok {
						diffs = append(diffs, "only in "+args[1]+": "+p)
					}
				}
				if len(diffs) > 0 {
					sort.Strings(diffs)
					ts.Fatalf("%s and %s differ (%d and %d files):\n%s", args[0], args[1], len(a), len(b), strings.Join(diffs, "\n"))
				}
			},
		},
	})
}

// readTree returns the bytes of every file under dir, by slash path.
func readTree(ts *testscript.TestScript, dir string) map[string]string {
	files := map[string]string{}
	root := ts.MkAbs(dir)
	ts.Check(filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	}))
	return files
}

func unescape(s string) string { return strings.ReplaceAll(s, `\n`, "\n") }

var durations = regexp.MustCompile(` in [0-9.]+(ns|µs|ms|s|m[0-9.]*s|h[0-9m.]*s)\b`)

// TestWorkflows parses the GitHub workflows and checks that every make
// target and whyopen command (with its flags) they run exists.
func TestWorkflows(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", ".github", "workflows", "*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range files {
		names[filepath.Base(f)] = true
	}
	if !names["check.yml"] || !names["pages.yml"] {
		t.Fatalf("want check.yml and pages.yml in .github/workflows, have %v", files)
	}
	targets := makeTargets(t)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var wf struct {
			Name string         `yaml:"name"`
			On   map[string]any `yaml:"on"`
			Jobs map[string]struct {
				RunsOn string `yaml:"runs-on"`
				Steps  []struct {
					Uses string `yaml:"uses"`
					Run  string `yaml:"run"`
				} `yaml:"steps"`
			} `yaml:"jobs"`
		}
		if err := yaml.Unmarshal(data, &wf); err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if wf.Name == "" || len(wf.On) == 0 || len(wf.Jobs) == 0 {
			t.Errorf("%s: want a name, triggers (on) and jobs", f)
		}
		runs := 0
		for job, j := range wf.Jobs {
			if j.RunsOn == "" {
				t.Errorf("%s: job %s has no runs-on", f, job)
			}
			for _, s := range j.Steps {
				if (s.Uses == "") == (s.Run == "") {
					t.Errorf("%s: job %s: a step needs uses or run, not both", f, job)
				}
				for _, line := range strings.Split(s.Run, "\n") {
					n, probs := runLine(line, targets)
					runs += n
					for _, p := range probs {
						t.Errorf("%s: %s", f, p)
					}
				}
			}
		}
		// A workflow_run workflow holds a write token and runs no code.
		if _, privileged := wf.On["workflow_run"]; runs == 0 && !privileged {
			t.Errorf("%s runs no make target or whyopen command", f)
		}
	}
}

// runLine checks the make and whyopen invocations on one shell line. It
// returns how many it found, and what is wrong with them.
func runLine(line string, targets map[string]bool) (n int, probs []string) {
	for _, cmd := range regexp.MustCompile(`[;&|()]+`).Split(line, -1) {
		cmd = strings.TrimSpace(cmd)
		words := strings.Fields(strings.Trim(cmd, "{} "))
		for len(words) > 0 && strings.Contains(words[0], "=") {
			words = words[1:] // VAR=value before the command
		}
		if len(words) == 0 {
			continue
		}
		switch {
		case words[0] == "make":
			n++
			for _, w := range words[1:] {
				if !strings.HasPrefix(w, "-") && !strings.Contains(w, "=") && !targets[w] {
					probs = append(probs, fmt.Sprintf("%q: the Makefile has no target %q", cmd, w))
				}
			}
		case filepath.Base(words[0]) == "whyopen":
			n++
			if len(words) < 2 {
				probs = append(probs, fmt.Sprintf("%q: no command", cmd))
				continue
			}
			var stdout, stderr bytes.Buffer
			sub := words[1]
			run([]string{sub, "-h"}, &stdout, &stderr)
			if strings.Contains(stderr.String(), "unknown command") {
				probs = append(probs, fmt.Sprintf("%q: whyopen has no command %q", cmd, sub))
				continue
			}
			for _, w := range words[2:] {
				if name, ok := strings.CutPrefix(w, "-"); ok && name != "" && name != "-" {
					name, _, _ = strings.Cut(name, "=")
					if !strings.Contains(stderr.String(), "  -"+name+" ") && !strings.Contains(stderr.String(), "  -"+name+"\n") {
						probs = append(probs, fmt.Sprintf("%q: whyopen %s has no flag -%s", cmd, sub, name))
					}
				}
			}
		}
	}
	return n, probs
}

// TestRunLine shows that runLine finds what TestWorkflows relies on it
// to find.
func TestRunLine(t *testing.T) {
	targets := makeTargets(t)
	for line, want := range map[string]int{
		"make test": 0,
		"make bin/whyopen && ./bin/whyopen check -format github":     0,
		"./bin/whyopen diff -base .base >> \"$GITHUB_STEP_SUMMARY\"": 0,
		"./bin/whyopen build -base-url \"$BASE_URL\"":                0,
		"make tests":                            1,
		"whyopen check -format github -verbose": 1,
		"X=1 ./bin/whyopen publish -src .":      1,
		"echo hi; make nothing && whyopen lint": 2,
	} {
		n, probs := runLine(line, targets)
		if n == 0 {
			t.Errorf("%q: found no command", line)
		}
		if len(probs) != want {
			t.Errorf("%q: %d problems %q, want %d", line, len(probs), probs, want)
		}
	}
}

// makeTargets returns the targets the Makefile defines.
func makeTargets(t *testing.T) map[string]bool {
	data, err := os.ReadFile(filepath.Join("..", "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	targets := map[string]bool{}
	re := regexp.MustCompile(`(?m)^([A-Za-z0-9_./$() -]+?):([^=]|$)`)
	for _, m := range re.FindAllStringSubmatch(string(data), -1) {
		for _, name := range strings.Fields(m[1]) {
			targets[name] = true
		}
	}
	// Variables used as targets, such as $(BIN): resolve the simple ones.
	vars := regexp.MustCompile(`(?m)^([A-Z_]+)\s*:?=\s*(\S+)\s*$`).FindAllStringSubmatch(string(data), -1)
	for _, v := range vars {
		if targets["$("+v[1]+")"] {
			targets[v[2]] = true
		}
	}
	return targets
}

// TestIssueForm checks the release proposal form: valid YAML in the shape
// of a GitHub issue form, whose lists of allowed values are the ones check
// enforces.
func TestIssueForm(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", ".github", "ISSUE_TEMPLATE", "release.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var form struct {
		Name        string   `yaml:"name"`
		Description string   `yaml:"description"`
		Labels      []string `yaml:"labels"`
		Body        []struct {
			Type       string `yaml:"type"`
			ID         string `yaml:"id"`
			Attributes struct {
				Label   string `yaml:"label"`
				Value   string `yaml:"value"`
				Options []any  `yaml:"options"`
			} `yaml:"attributes"`
		} `yaml:"body"`
	}
	if err := yaml.Unmarshal(data, &form); err != nil {
		t.Fatal(err)
	}
	if form.Name == "" || form.Description == "" || len(form.Body) == 0 {
		t.Fatal("an issue form needs a name, a description and a body")
	}
	ids := map[string]bool{}
	for i, b := range form.Body {
		switch b.Type {
		case "markdown":
			if b.Attributes.Value == "" {
				t.Errorf("body %d: markdown without a value", i)
			}
			continue
		case "input", "textarea", "dropdown", "checkboxes":
		default:
			t.Errorf("body %d: unknown type %q", i, b.Type)
		}
		if b.Attributes.Label == "" {
			t.Errorf("body %d (%s): no label", i, b.ID)
		}
		if b.ID == "" || ids[b.ID] {
			t.Errorf("body %d: id %q missing or repeated", i, b.ID)
		}
		ids[b.ID] = true
		if (b.Type == "dropdown" || b.Type == "checkboxes") && len(b.Attributes.Options) == 0 {
			t.Errorf("body %d (%s): no options", i, b.ID)
		}
	}
	// The form's lists are check's lists.
	for id, field := range map[string]string{"architecture": "Architecture", "modality_in": "ModalityIn", "modality_out": "ModalityOut"} {
		f, _ := reflectField(load.Release{}, field)
		want := strings.Split(f, ",")
		var got []string
		for _, b := range form.Body {
			if b.ID == id {
				for _, o := range b.Attributes.Options {
					got = append(got, strings.TrimSpace(strings.Split(toString(o), " ")[0]))
				}
			}
		}
		sort.Strings(want)
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("form %s options %q, want check's %q", id, got, want)
		}
	}
}

// reflectField returns the enum tag of v's field.
func reflectField(v any, field string) (string, bool) {
	f, ok := reflect.TypeOf(v).FieldByName(field)
	return f.Tag.Get("enum"), ok
}

// toString returns a dropdown option, or a checkbox option's label.
func toString(o any) string {
	switch o := o.(type) {
	case string:
		return o
	case map[string]any:
		s, _ := o["label"].(string)
		return s
	}
	return ""
}
