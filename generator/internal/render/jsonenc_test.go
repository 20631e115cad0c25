package render

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"testing"
	"unicode/utf8"
)

// hostileStrings are strings whose JSON escaping differs from their bytes.
var hostileStrings = []string{
	"", "plain", `quote " and \ backslash`, "</script><script>alert(1)</script>", "a & b > c",
	"\x00\x01\x07\b\f\n\r\t\x1f\x7f", "line\u2028sep\u2029para", "invalid \xff\xfe utf-8 \xc3", "truncated \xe2\x82",
	"emoji 🦙 and ünïcödé", "\ufffd", "\u00a0nbsp",
}

func TestJSONEncodingMatches(t *testing.T) {
	for _, s := range hostileStrings {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("appendJSONString(%q) = %s, json.Marshal %s", s, got, want)
		}
	}
	for _, f := range []float64{0, 1, -1, 7, 0.5, 1.2345, 1e-6, 9.99e-7, 1e-9, 123456789012, 1e20, 1e21, 1.5e300, -2.5e-8, math.SmallestNonzeroFloat64} {
		want, _ := json.Marshal(f)
		if got := appendJSONFloat(nil, f); !bytes.Equal(got, want) {
			t.Errorf("appendJSONFloat(%v) = %s, json.Marshal %s", f, got, want)
		}
	}
}

// TestDataFilesMatchEncodingJSON checks that the hand-written encoders of
// releases.json and explorer.json write what encoding/json would.
func TestDataFilesMatchEncodingJSON(t *testing.T) {
	_, s := synthSite(t, 500)
	recs := make([]Record, len(s.Cat.Releases))
	for i, r := range s.Cat.Releases {
		recs[i] = record(s, r)
	}
	// Put the hostile strings into every string field.
	for i, h := range hostileStrings {
		r := &recs[i]
		r.Slug, r.Title, r.Org, r.Date, r.License, r.LicenseClass, r.Bucket, r.BucketSource, r.InferredBucket, r.URL = h, h, h, h, h, h, h, h, h, h
		// Some records have buckets in further schemes, one or two.
		for j := range i % 3 {
			r.Schemes = append(r.Schemes, SchemeRecord{Scheme: h + strconv.Itoa(j), Bucket: h, BucketSource: "org", InferredBucket: ""})
		}
	}
	for _, rs := range [][]Record{nil, recs[:1], recs} {
		want, err := json.MarshalIndent(rs, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if rs == nil {
			want = []byte("[]")
		}
		if got := recordsJSON(rs); !bytes.Equal(got, append(want, '\n')) {
			t.Errorf("releases.json of %d records differs from json.MarshalIndent's:\n%.600s\n---\n%.600s", len(rs), got, want)
		}
	}

	// Decoding replaces invalid UTF-8, so re-encoding the decoded file
	// is an oracle only for valid strings; appendJSONString's own tests
	// cover the invalid ones.
	var valid []string
	for _, h := range hostileStrings {
		if utf8.ValidString(h) {
			valid = append(valid, h)
		}
	}
	for i, h := range valid {
		r := *s.Cat.Releases[i].Release
		r.Title, r.Summary = h, h
		s.Cat.Releases[i].Release = &r
	}
	got := explorerJSON(s)
	var f explorerFile
	if err := json.Unmarshal(got, &f); err != nil {
		t.Fatalf("explorer.json does not decode: %v", err)
	}
	if len(f.Rows) != len(s.Cat.Releases) {
		t.Fatalf("explorer.json has %d rows, want %d", len(f.Rows), len(s.Cat.Releases))
	}
	want, _ := json.Marshal(f)
	if !bytes.Equal(got, append(want, '\n')) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Errorf("explorer.json is not what json.Marshal writes, from byte %d:\n%.300s\n---\n%.300s", i, got[max(0, i-100):], want[max(0, i-100):])
	}
	summary := slices.Index(f.Cols, "summary")
	for i, h := range valid {
		if f.Rows[i][1] != h || f.Rows[i][summary] != h {
			t.Errorf("row %d: title %q, summary %q, want %q", i, f.Rows[i][1], f.Rows[i][summary], h)
		}
	}
}

func FuzzJSONString(f *testing.F) {
	for _, s := range hostileStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("appendJSONString(%q) = %s, json.Marshal %s", s, got, want)
		}
	})
}
