package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/tools/txtar"

	"github.com/whyopen/whyopen/generator/internal/hub/hubtest"
)

// walkthroughEntry is the release CONTRIBUTING.md's walk-through adds:
// the copy of the bundled content it runs in starts without it.
const walkthroughEntry = "content/releases/tii/falcon-mamba-7b.md"

// tested marks a code block of CONTRIBUTING.md that TestContributing runs:
// "<!-- tested -->" before a command and what it prints, "<!-- tested:
// PATH -->" before the file at PATH as the commands before it left it.
var tested = regexp.MustCompile("(?m)^<!-- tested(?:: (\\S+))? -->\n```[a-z]*\n((?s:.*?))```\n")

// TestContributing runs the walk-through of CONTRIBUTING.md, so that what
// it says each command prints is what whyopen prints: its commands run in
// order, in a copy of the bundled content/ without the entry they add,
// against the recorded Hub (internal/hub/testdata), and each block's
// output, durations aside, and each file must be as the page shows.
func TestContributing(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "CONTRIBUTING.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := tested.FindAllSubmatch(doc, -1)
	var script strings.Builder
	script.WriteString("cd site\n")
	var want []txtar.File
	commands := 0
	for i, b := range blocks {
		name := fmt.Sprintf("want/%d", i)
		want = append(want, txtar.File{Name: name, Data: b[2]})
		if path := string(b[1]); path != "" {
			fmt.Fprintf(&script, "cmp %s ../%s\n", path, name)
			continue
		}
		cmd, out, _ := strings.Cut(string(b[2]), "\n")
		args, ok := strings.CutPrefix(cmd, "$ ./bin/whyopen ")
		if !ok {
			t.Fatalf("CONTRIBUTING.md: tested block %d starts %q, not with a whyopen command", i+1, cmd)
		}
		want[i].Data = []byte(out)
		fmt.Fprintf(&script, "run whyopen %s\nprinted ../%s\n", args, name)
		commands++
	}
	if commands < 3 || len(blocks) == commands {
		t.Fatalf("CONTRIBUTING.md has %d tested blocks, %d of them commands: the walk-through's import, its errors and the entry it writes should all be tested", len(blocks), commands)
	}
	dir := t.TempDir()
	ar := txtar.Format(&txtar.Archive{Comment: []byte(script.String()), Files: want})
	if err := os.WriteFile(filepath.Join(dir, "contributing.txtar"), ar, 0o666); err != nil {
		t.Fatal(err)
	}
	content, _ := filepath.Abs(filepath.Join("..", "content"))
	testscript.Run(t, testscript.Params{
		Dir:                 dir,
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			hubSrv := hubtest.New(hubRecordings)
			env.Defer(hubSrv.Close)
			env.Setenv("HF_ENDPOINT", hubSrv.URL)
			env.Setenv("HF_TOKEN", "")
			return copyContent(content, filepath.Join(env.WorkDir, "site", "content"))
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// run runs a command that may succeed or fail: the page shows
			// what it prints, not how it exits.
			"run": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) == 0 {
					ts.Fatalf("usage: run COMMAND [ARG...]")
				}
				ts.Exec(args[0], args[1:]...)
			},
			// printed compares what the last command wrote to stdout and
			// stderr with a file, durations made "in T" in both.
			"printed": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 1 {
					ts.Fatalf("usage: printed FILE")
				}
				got := durations.ReplaceAllString(ts.ReadFile("stdout")+ts.ReadFile("stderr"), " in T")
				want := durations.ReplaceAllString(ts.ReadFile(args[0]), " in T")
				if got != want {
					ts.Fatalf("CONTRIBUTING.md shows\n%s\nbut whyopen prints\n%s", want, got)
				}
			},
		},
	})
}

// copyContent copies the content tree from to to, leaving out the entry
// the walk-through adds.
func copyContent(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if filepath.ToSlash(filepath.Join("content", rel)) == walkthroughEntry {
			return nil
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o777)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o666)
	})
}
