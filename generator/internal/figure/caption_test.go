package figure

import "testing"

func TestPlural(t *testing.T) {
	for _, tc := range []struct {
		n    int
		noun string
		want string
	}{
		{0, "release", "0 releases"},
		{1, "release", "1 release"},
		{2, "release", "2 releases"},
		{1, "quarter", "1 quarter"},
		{3, "quarter", "3 quarters"},
		{2, "family", "2 families"},
		{2, "key", "2 keys"},
		{2, "class", "2 classes"},
	} {
		if got := Plural(tc.n, tc.noun); got != tc.want {
			t.Errorf("Plural(%d, %q) = %q, want %q", tc.n, tc.noun, got, tc.want)
		}
	}
}

func TestCapitalNames(t *testing.T) {
	for in, want := range map[string]string{"open": "Open", "": "", "élan": "Élan", "Open": "Open", "1 release": "1 release"} {
		if got := Capital(in); got != want {
			t.Errorf("Capital(%q) = %q, want %q", in, got, want)
		}
	}
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"A"}, "A"},
		{[]string{"A", "B"}, "A and B"},
		{[]string{"A", "B", "C"}, "A, B and C"},
	} {
		if got := Names(tc.in); got != tc.want {
			t.Errorf("Names(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLeader(t *testing.T) {
	for _, tc := range []struct {
		names    []string
		n, total int
		want     string
	}{
		{[]string{"DeepSeek"}, 8, 145, "DeepSeek leads with 8 of 145 releases (6%)."},
		{[]string{"open"}, 81, 145, "Open leads with 81 of 145 releases (56%)."},
		{[]string{"DeepSeek", "Mistral AI", "NVIDIA"}, 8, 145, "DeepSeek, Mistral AI and NVIDIA tie for the lead with 8 of 145 releases each (6% each)."},
		{[]string{"A", "B"}, 1, 2, "A and B tie for the lead with 1 of 2 releases each (50% each)."},
		{[]string{"A"}, 1, 1, "A leads with 1 of 1 release (100%)."},
		{[]string{"A", "B", "C", "D", "E", "F"}, 1, 6, "6 tie for the lead with 1 of 6 releases each (17% each)."},
		{nil, 0, 0, "No releases yet."},
		{[]string{"A"}, 0, 5, "No releases yet."},
	} {
		if got := Leader(tc.names, tc.n, tc.total, "release"); got != tc.want {
			t.Errorf("Leader(%q, %d, %d) = %q, want %q", tc.names, tc.n, tc.total, got, tc.want)
		}
	}
}

func TestChange(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b Point
		want string
	}{
		{"Model makers", Point{"2023", 1, 12}, Point{"2025", 12, 44}, "Model makers rose from 8% (1 of 12) in 2023 to 27% (12 of 44) in 2025."},
		{"open licenses", Point{"2023", 7, 12}, Point{"2025", 22, 44}, "Open licenses fell from 58% (7 of 12) in 2023 to 50% (22 of 44) in 2025."},
		{"upsell", Point{"2024-Q1", 2, 8}, Point{"2024-Q3", 3, 12}, "Upsell held at 25% of releases: 2 of 8 in 2024-Q1, 3 of 12 in 2024-Q3."},
		// 0.3% and 0.4% both round to 0%: no change is claimed.
		{"Product", Point{"2024", 1, 300}, Point{"2025", 1, 250}, "Product held at 0% of releases: 1 of 300 in 2024, 1 of 250 in 2025."},
	} {
		if got := Change(tc.name, tc.a, tc.b); got != tc.want {
			t.Errorf("Change(%q) =\n %q, want\n %q", tc.name, got, tc.want)
		}
	}
}

func TestBusiest(t *testing.T) {
	for _, tc := range []struct {
		total int
		keys  []string
		n     int
		want  string
	}{
		{0, nil, 0, "No releases yet."},
		{1, []string{"2024-Q3"}, 1, "1 release, in 2024-Q3."},
		{3, []string{"2024-Q3"}, 3, "All 3 releases fall in 2024-Q3."},
		{12, []string{"2024-Q3"}, 5, "12 releases in all; the busiest quarter was 2024-Q3, with 5."},
		{4, []string{"2024-Q1", "2024-Q3"}, 2, "4 releases in all; the busiest quarters were 2024-Q1 and 2024-Q3, with 2 each."},
	} {
		if got := Busiest(tc.total, "quarter", tc.keys, tc.n); got != tc.want {
			t.Errorf("Busiest(%d, %q, %d) = %q, want %q", tc.total, tc.keys, tc.n, got, tc.want)
		}
	}
}

func TestGapsPartialJoin(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, ""},
		{1, "Shares are not plotted for the one quarter with fewer than 8 releases."},
		{6, "Shares are not plotted for the 6 quarters with fewer than 8 releases."},
	} {
		if got := Gaps(tc.n, "quarter", 8); got != tc.want {
			t.Errorf("Gaps(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	if got := Partial("2026-Q4"); got != "2026-Q4 is still under way and is not compared." {
		t.Errorf("Partial = %q", got)
	}
	if got := Join("A.", "", Partial(""), "B."); got != "A. B." {
		t.Errorf("Join = %q", got)
	}
}

func TestOrdinal(t *testing.T) {
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 22: "22nd", 111: "111th", 123: "123rd"} {
		if got := Ordinal(n); got != want {
			t.Errorf("Ordinal(%d) = %q, want %q", n, got, want)
		}
	}
}
