package publish

import "os"

// exchangeByRename swaps a and b with two renames. Between them b does not
// exist for a moment; it is the fallback where no atomic exchange exists.
func exchangeByRename(a, b string) error {
	tmp := a + ".old"
	if err := os.Rename(b, tmp); err != nil {
		return err
	}
	if err := os.Rename(a, b); err != nil {
		os.Rename(tmp, b)
		return err
	}
	return os.Rename(tmp, a)
}
