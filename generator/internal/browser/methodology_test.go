package browser

import (
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// agreeCount is a judged and an agreeing count.
type agreeCount struct{ judged, agree int }

// TestMethodologyAgreement recounts, from /data/releases.json, how often
// inference agrees with the editors, and compares the figures and the list
// of disagreements on /methodology/ with it. It needs no browser.
func TestMethodologyAgreement(t *testing.T) {
	real, fixture := sites(t)
	for _, s := range []*site{real, fixture} {
		t.Run(s.name, func(t *testing.T) {
			want := map[string]agreeCount{}
			var disagree []string
			for _, r := range releases(t, s) {
				if r.BucketSource != "editorial" && r.BucketSource != "org" {
					continue
				}
				ok := r.Bucket == r.InferredBucket
				for _, k := range []string{"all", "bucket:" + r.Bucket, "source:" + r.BucketSource} {
					c := want[k]
					c.judged++
					if ok {
						c.agree++
					}
					want[k] = c
				}
				if !ok {
					disagree = append(disagree, r.Slug)
				}
			}
			if want["all"].judged == 0 {
				t.Fatalf("%s: no release has an editors' bucket, so there is nothing to compare", s.name)
			}

			doc, err := html.Parse(strings.NewReader(string(s.file(t, "methodology/index.html"))))
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]agreeCount{}
			var listed, linked []string
			var overall *agreeCount
			walk(doc, func(n *html.Node) {
				a := attrs(n)
				num := func(k string) int {
					v, err := strconv.Atoi(a[k])
					if err != nil {
						t.Errorf("<%s> has %s=%q", n.Data, k, a[k])
					}
					return v
				}
				switch {
				case a["data-bucket"] != "" && n.Data == "tr":
					k := "bucket:" + a["data-bucket"]
					if a["data-bucket"] == "all" {
						k = "all"
					}
					got[k] = agreeCount{num("data-judged"), num("data-agree")}
				case a["data-source"] != "" && n.Data == "tr":
					got["source:"+a["data-source"]] = agreeCount{num("data-judged"), num("data-agree")}
				case strings.Contains(a["class"], "agreement-overall"):
					overall = &agreeCount{num("data-judged"), num("data-agree")}
				case a["data-release"] != "":
					listed = append(listed, a["data-release"])
					walk(n, func(m *html.Node) {
						if h := attrs(m)["href"]; m.Data == "a" && strings.HasSuffix(h, "releases/"+a["data-release"]+"/") {
							linked = append(linked, a["data-release"])
						}
					})
				}
			})
			if overall == nil || *overall != want["all"] {
				t.Errorf("overall agreement on the page = %v, recount = %v", overall, want["all"])
			}
			for k, w := range want {
				if got[k] != w {
					t.Errorf("%s: the page says %d of %d agree, the recount %d of %d", k, got[k].agree, got[k].judged, w.agree, w.judged)
				}
			}
			for k, g := range got {
				if _, ok := want[k]; !ok && g.judged > 0 {
					t.Errorf("%s: the page counts %v, the recount nothing", k, g)
				}
			}
			sort.Strings(listed)
			sort.Strings(disagree)
			if strings.Join(listed, " ") != strings.Join(disagree, " ") {
				t.Errorf("disagreements listed: %v\nrecount: %v", listed, disagree)
			}
			if len(linked) != len(listed) {
				t.Errorf("%d of %d disagreements link to their release", len(linked), len(listed))
			}
			// The share printed beside the counts is theirs.
			page := string(s.file(t, "methodology/index.html"))
			pct := strconv.Itoa(int(float64(want["all"].agree)/float64(want["all"].judged)*100+0.5)) + "%"
			if !strings.Contains(page, "(<strong>"+pct+"</strong>)") {
				t.Errorf("the overall share %s is not on the page", pct)
			}
		})
	}
}

func walk(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attrs(n *html.Node) map[string]string {
	m := map[string]string{}
	for _, a := range n.Attr {
		m[a.Key] = a.Val
	}
	return m
}
