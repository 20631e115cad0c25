package load

import "bytes"

// Unconfirmed is the YAML comment that marks a value a scaffold filled in
// without knowing it, such as a release dated the day `whyopen new` ran:
//
//	date: 2026-12-04  # unconfirmed: set by whyopen new; check it, then delete this comment
//
// Load records the fields so marked (Doc.Unconfirmed), and check refuses
// them until an editor deletes the comment.
const Unconfirmed = "# unconfirmed"

// markUnconfirmed records the fields of doc whose line in the front
// matter fm, which starts on line first, carries the Unconfirmed comment.
func markUnconfirmed(doc *Doc, fm []byte, first int) {
	doc.Unconfirmed = nil
	if !bytes.Contains(fm, []byte(Unconfirmed)) {
		return
	}
	lines := map[int]bool{}
	n := first
	for l := range bytes.Lines(fm) {
		if i := bytes.Index(l, []byte(Unconfirmed)); i > 0 && (l[i-1] == ' ' || l[i-1] == '\t') {
			lines[n] = true
		}
		n++
	}
	for path, p := range doc.At.All() {
		if lines[p.Line] {
			doc.Unconfirmed = append(doc.Unconfirmed, path)
		}
	}
}
