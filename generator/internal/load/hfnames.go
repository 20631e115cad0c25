package load

// HFNames returns the org's Hugging Face account names, as its huggingface
// field gives them: one name or a list.
func (o *Org) HFNames() []string { return []string(o.HuggingFace) }
