package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestWorkflowStopsCommands: a step that runs whyopen diff after a failed
// step (if: always(), failure() or !cancelled()) prints a pull request's
// text into the log, so it must stop workflow commands first, with a
// random token, and resume them only after the diff.
func TestWorkflowStopsCommands(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", ".github", "workflows", "check.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Name string `yaml:"name"`
				If   string `yaml:"if"`
				Run  string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	diffs := 0
	for _, j := range wf.Jobs {
		for _, s := range j.Steps {
			if !regexp.MustCompile(`whyopen diff\b`).MatchString(s.Run) {
				continue
			}
			diffs++
			if !regexp.MustCompile(`always\(\)|failure\(\)|cancelled\(\)`).MatchString(s.If) {
				continue // runs only after every earlier step passed
			}
			if msg := stopsCommands(s.Run); msg != "" {
				t.Errorf("step %q runs whyopen diff after failures (if: %s), but %s", s.Name, s.If, msg)
			}
		}
	}
	if diffs == 0 {
		t.Error("check.yml no longer runs whyopen diff: drop this test or find the step")
	}
}

// stopsCommands returns what is wrong with how a step's script stops
// workflow commands around whyopen diff, or "".
func stopsCommands(run string) string {
	lines := strings.Split(run, "\n")
	stop, diff, resume := -1, -1, -1
	var token string
	for i, l := range lines {
		if m := regexp.MustCompile(`^echo "::stop-commands::\$(\w+)"$`).FindStringSubmatch(strings.TrimSpace(l)); m != nil && stop < 0 {
			stop, token = i, m[1]
		}
		if strings.Contains(l, "whyopen diff") && diff < 0 {
			diff = i
		}
		if token != "" && strings.TrimSpace(l) == `echo "::$`+token+`::"` {
			resume = i
		}
	}
	switch {
	case stop < 0:
		return "it does not echo ::stop-commands::$TOKEN first"
	case !regexp.MustCompile(`(?m)^\s*` + token + `=\$\(.*/dev/urandom`).MatchString(run):
		return "$" + token + " is not read from /dev/urandom"
	case diff < stop:
		return "it stops commands only after the diff"
	case resume < diff:
		return "it does not resume commands (echo \"::$" + token + "::\") after the diff"
	case strings.Contains(strings.Join(lines[stop:resume], "\n"), "set -e") || !strings.Contains(lines[diff], "||"):
		return "a failing diff would exit before commands resume: catch its status with ||"
	}
	return ""
}

// TestStopsCommands shows that stopsCommands refuses the scripts it
// should.
func TestStopsCommands(t *testing.T) {
	good := "t=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \\n')\necho \"::stop-commands::$t\"\ns=0\nwhyopen diff -base b || s=$?\necho \"::$t::\"\nexit $s"
	if msg := stopsCommands(good); msg != "" {
		t.Errorf("a good script: %s", msg)
	}
	for name, bad := range map[string]string{
		"no stop":       "whyopen diff -base b",
		"fixed token":   "t=abc\necho \"::stop-commands::$t\"\nwhyopen diff -base b || s=$?\necho \"::$t::\"",
		"stop after":    "t=$(od -N16 /dev/urandom)\nwhyopen diff -base b || s=$?\necho \"::stop-commands::$t\"\necho \"::$t::\"",
		"no resume":     "t=$(od -N16 /dev/urandom)\necho \"::stop-commands::$t\"\nwhyopen diff -base b || s=$?",
		"exits on fail": "t=$(od -N16 /dev/urandom)\necho \"::stop-commands::$t\"\nwhyopen diff -base b\necho \"::$t::\"",
	} {
		if stopsCommands(bad) == "" {
			t.Errorf("%s: accepted", name)
		}
	}
}

// workflow is what the tests read of a workflow file.
type workflow struct {
	On          yaml.Node `yaml:"on"`
	Permissions yaml.Node `yaml:"permissions"`
	Jobs        map[string]struct {
		Needs       yaml.Node `yaml:"needs"`
		If          string    `yaml:"if"`
		Permissions yaml.Node `yaml:"permissions"`
		Timeout     yaml.Node `yaml:"timeout-minutes"`
		Steps       []struct {
			Uses yaml.Node         `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// workflows reads every workflow in .github/workflows.
func workflows(t *testing.T) map[string]workflow {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", ".github", "workflows", "*.y*ml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows found: %v", err)
	}
	wfs := map[string]workflow{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var wf workflow
		if err := yaml.Unmarshal(data, &wf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(wf.Jobs) == 0 {
			t.Errorf("%s: no jobs", f)
		}
		wfs[filepath.Base(f)] = wf
	}
	return wfs
}

// pinned is how a third-party action is named: by a full commit SHA,
// with the version it is in a comment, so that a moved tag cannot change
// what runs and a reader still sees the version.
var (
	pinnedUses    = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$`)
	pinnedVersion = regexp.MustCompile(`^# v\d+\.\d+\.\d+$`)
)

// TestWorkflowsTrustworthy: every action is pinned by SHA with its
// version in a comment, the workflow grants nothing and each job asks
// for its own permissions, and every job has a timeout.
func TestWorkflowsTrustworthy(t *testing.T) {
	for name, wf := range workflows(t) {
		if wf.Permissions.Kind != yaml.MappingNode || len(wf.Permissions.Content) != 0 {
			t.Errorf("%s: set permissions: {} at the top and grant each job its own", name)
		}
		for id, j := range wf.Jobs {
			if j.Permissions.Kind == 0 {
				t.Errorf("%s: job %s has no permissions of its own", name, id)
			}
			if n, err := strconv.Atoi(j.Timeout.Value); err != nil || n <= 0 || n > 60 {
				t.Errorf("%s: job %s has no timeout-minutes between 1 and 60 (%q)", name, id, j.Timeout.Value)
			}
			for _, s := range j.Steps {
				u := s.Uses
				if u.Value == "" || strings.HasPrefix(u.Value, "./") {
					continue
				}
				if !pinnedUses.MatchString(u.Value) {
					t.Errorf("%s:%d: %s is not pinned by a full commit SHA", name, u.Line, u.Value)
				}
				if !pinnedVersion.MatchString(u.LineComment) {
					t.Errorf("%s:%d: %s has no version comment such as \"# v1.2.3\" (%q)", name, u.Line, u.Value, u.LineComment)
				}
			}
		}
	}
}

// TestPinsAgree: one action is pinned to one commit in every workflow,
// so an upgrade cannot leave an older copy behind.
func TestPinsAgree(t *testing.T) {
	seen := map[string]string{}
	for name, wf := range workflows(t) {
		for _, j := range wf.Jobs {
			for _, s := range j.Steps {
				action, ref, ok := strings.Cut(s.Uses.Value, "@")
				if !ok {
					continue
				}
				pin := ref + " " + s.Uses.LineComment
				if other, ok := seen[action]; ok && other != pin {
					t.Errorf("%s:%d: %s is pinned to %s here and to %s elsewhere", name, s.Uses.Line, action, pin, other)
				}
				seen[action] = pin
			}
		}
	}
}

// TestWorkflowTriggers: a workflow started by workflow_run or
// pull_request_target holds a write token in the base repository, so it
// never checks out code; and check.yml gives a content-only pull request
// its check and diff without waiting for the test suite.
func TestWorkflowTriggers(t *testing.T) {
	wfs := workflows(t)
	for name, wf := range wfs {
		var on []string
		switch wf.On.Kind {
		case yaml.ScalarNode:
			on = []string{wf.On.Value}
		case yaml.SequenceNode:
			for _, n := range wf.On.Content {
				on = append(on, n.Value)
			}
		case yaml.MappingNode:
			for i := 0; i < len(wf.On.Content); i += 2 {
				on = append(on, wf.On.Content[i].Value)
			}
		}
		privileged := false
		for _, e := range on {
			privileged = privileged || e == "workflow_run" || e == "pull_request_target"
		}
		if !privileged {
			continue
		}
		for id, j := range wf.Jobs {
			for _, s := range j.Steps {
				if strings.HasPrefix(s.Uses.Value, "actions/checkout@") || strings.Contains(s.Run, "git ") || strings.Contains(s.Run, "go ") || strings.Contains(s.Run, "make") {
					t.Errorf("%s: job %s runs on %v with a write token, but checks out or runs code", name, id, on)
				}
			}
		}
	}

	check, ok := wfs["check.yml"]
	if !ok {
		t.Fatal("no check.yml")
	}
	content, ok := check.Jobs["content"]
	if !ok {
		t.Fatal("check.yml has no content job")
	}
	if content.Needs.Kind != 0 || content.If != "" {
		t.Error("check.yml's content job waits for another job or a condition: a content-only pull request should get it at once")
	}
	var strict, diff, upload bool
	for _, s := range content.Steps {
		strict = strict || regexp.MustCompile(`whyopen check\b.*-strict`).MatchString(s.Run)
		diff = diff || strings.Contains(s.Run, "whyopen diff")
		upload = upload || strings.HasPrefix(s.Uses.Value, "actions/upload-artifact@") && s.With["name"] == "diff"
	}
	if !strict || !diff || !upload {
		t.Errorf("check.yml's content job: check -strict %v, diff %v, uploads the diff %v; want all three", strict, diff, upload)
	}
	test, ok := check.Jobs["test"]
	if !ok || !strings.Contains(test.If, "needs.changes.outputs.code") {
		t.Error("check.yml's test job does not run only when code changed")
	}
	if _, ok := wfs["comment.yml"]; !ok {
		t.Error("no comment.yml posts the diff")
	}
}
