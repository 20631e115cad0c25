package load

import (
	"regexp"
	"strings"
	"testing"
)

// TestCountryNames checks the table's shape: every ISO 3166-1 alpha-2 code
// (249 of them), each with a name written in reading order.
func TestCountryNames(t *testing.T) {
	if len(CountryNames) != 249 {
		t.Errorf("%d country codes, want the 249 of ISO 3166-1", len(CountryNames))
	}
	code := regexp.MustCompile(`^[A-Z]{2}$`)
	for c, n := range CountryNames {
		if !code.MatchString(c) {
			t.Errorf("code %q is not two capital letters", c)
		}
		if n == "" || n != strings.TrimSpace(n) || strings.HasSuffix(n, " of") || strings.HasSuffix(n, " the") {
			t.Errorf("%s is named %q, not a name in reading order", c, n)
		}
	}
	for c, n := range map[string]string{"US": "United States", "KR": "South Korea", "CN": "China", "GB": "United Kingdom", "TW": "Taiwan"} {
		if CountryNames[c] != n {
			t.Errorf("CountryNames[%q] = %q, want %q", c, CountryNames[c], n)
		}
	}
}
