package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/check"
)

// TestCommittedSchemas: new entries name ../../schema/KIND.json from
// content/, so the repository's schema/ must hold what whyopen schema
// writes now. After a change to a content type, run
// whyopen schema -out schema.
func TestCommittedSchemas(t *testing.T) {
	for _, kind := range check.SchemaKinds() {
		want, err := check.Schema(kind)
		if err != nil {
			t.Fatal(err)
		}
		have, err := os.ReadFile(filepath.Join("..", schemaDir, kind+".json"))
		if err != nil {
			t.Errorf("%v: run whyopen schema -out schema", err)
			continue
		}
		if !bytes.Equal(have, want) {
			t.Errorf("schema/%s.json is out of date: run whyopen schema -out schema", kind)
		}
	}
}
