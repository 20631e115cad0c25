package main

import (
	"os"
	"path/filepath"
	"regexp"
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
