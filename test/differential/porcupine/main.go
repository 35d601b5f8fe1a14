// Command porcheck runs Porcupine on histories given as JSON on stdin and prints one verdict per history,
// so Rift's linearizability checker can be compared with it (differential test) and timed against it (bench).
//
// Input: {"model": "register" | "cas-register" | "kv", "timeoutMs": 0, "histories": [[op, ...], ...]}
// op:    {"client": 0, "call": 3, "ret": 9, "f": "read", "key": "x", "arg": <json>, "out": <json>, "unknown": false}
//
//	register / cas-register, split by key: values are integers or null (absent); read arg null, out the value;
//	write arg the value; cas arg [expected, new], out true/false. The register starts absent.
//	kv: get/put/append of strings per key (split by key), every key starting as "".
//	unknown: the outcome is unknown (out is ignored); give such an op a ret after every other op.
//
// Output: one line per history: {"verdict": "Ok" | "Illegal" | "Unknown", "ns": <checking time>}.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"time"

	"github.com/anishathalye/porcupine"
)

type rawOp struct {
	Client  int             `json:"client"`
	Call    int64           `json:"call"`
	Ret     int64           `json:"ret"`
	F       string          `json:"f"`
	Key     string          `json:"key"`
	Arg     json.RawMessage `json:"arg"`
	Out     json.RawMessage `json:"out"`
	Unknown bool            `json:"unknown"`
}

type request struct {
	Model     string    `json:"model"`
	TimeoutMs int64     `json:"timeoutMs"`
	Histories [][]rawOp `json:"histories"`
}

// A register value: absent or an integer. Comparable, so Porcupine's default equality works.
type regValue struct {
	Exists bool
	V      int
}

type regInput struct {
	F        string
	Key      string
	Arg      regValue
	Expected regValue
}

type regOutput struct {
	Unknown bool
	Value   regValue
	Swapped bool
}

func parseRegValue(raw json.RawMessage) (regValue, error) {
	var p *int
	if len(raw) == 0 {
		return regValue{}, nil
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return regValue{}, err
	}
	if p == nil {
		return regValue{}, nil
	}
	return regValue{Exists: true, V: *p}, nil
}

func registerOp(op rawOp) (porcupine.Operation, error) {
	in := regInput{F: op.F, Key: op.Key}
	out := regOutput{Unknown: op.Unknown}
	var err error
	switch op.F {
	case "read":
		if !op.Unknown {
			out.Value, err = parseRegValue(op.Out)
		}
	case "write":
		in.Arg, err = parseRegValue(op.Arg)
	case "cas":
		var pair []json.RawMessage
		if err = json.Unmarshal(op.Arg, &pair); err == nil && len(pair) != 2 {
			err = fmt.Errorf("cas arg must be [expected, new]")
		}
		if err == nil {
			if in.Expected, err = parseRegValue(pair[0]); err == nil {
				in.Arg, err = parseRegValue(pair[1])
			}
		}
		if err == nil && !op.Unknown {
			err = json.Unmarshal(op.Out, &out.Swapped)
		}
	default:
		err = fmt.Errorf("unknown register op %q", op.F)
	}
	return porcupine.Operation{ClientId: op.Client, Input: in, Call: op.Call, Output: out, Return: op.Ret}, err
}

// byKey splits a history per key (every op touches one key, so each key is checked on its own).
func byKey(key func(porcupine.Operation) string) func([]porcupine.Operation) [][]porcupine.Operation {
	return func(history []porcupine.Operation) [][]porcupine.Operation {
		parts := map[string][]porcupine.Operation{}
		var keys []string
		for _, op := range history {
			k := key(op)
			if _, seen := parts[k]; !seen {
				keys = append(keys, k)
			}
			parts[k] = append(parts[k], op)
		}
		out := make([][]porcupine.Operation, 0, len(keys))
		for _, k := range keys {
			out = append(out, parts[k])
		}
		return out
	}
}

var registerModel = porcupine.Model{
	Partition: byKey(func(op porcupine.Operation) string { return op.Input.(regInput).Key }),
	Init:      func() interface{} { return regValue{} },
	Hash: func(state interface{}) uint64 {
		s := state.(regValue)
		if !s.Exists {
			return 0x9e3779b97f4a7c15
		}
		return uint64(s.V) * 0xbf58476d1ce4e5b9
	},
	Step: func(state, input, output interface{}) (bool, interface{}) {
		s := state.(regValue)
		in := input.(regInput)
		out := output.(regOutput)
		switch in.F {
		case "read":
			return out.Unknown || out.Value == s, s
		case "write":
			return true, in.Arg
		default: // cas
			matches := s == in.Expected
			next := s
			if matches {
				next = in.Arg
			}
			if out.Unknown {
				return true, next
			}
			if out.Swapped {
				return matches, next
			}
			return !matches, s
		}
	},
}

type kvInput struct {
	F     string
	Key   string
	Value string
}

type kvOutput struct {
	Unknown bool
	Value   string
}

func kvOp(op rawOp) (porcupine.Operation, error) {
	in := kvInput{F: op.F, Key: op.Key}
	out := kvOutput{Unknown: op.Unknown}
	var err error
	switch op.F {
	case "get":
		if !op.Unknown {
			err = json.Unmarshal(op.Out, &out.Value)
		}
	case "put", "append":
		err = json.Unmarshal(op.Arg, &in.Value)
	default:
		err = fmt.Errorf("unknown kv op %q", op.F)
	}
	return porcupine.Operation{ClientId: op.Client, Input: in, Call: op.Call, Output: out, Return: op.Ret}, err
}

var kvModel = porcupine.Model{
	Partition: byKey(func(op porcupine.Operation) string { return op.Input.(kvInput).Key }),
	Init:      func() interface{} { return "" },
	Hash: func(state interface{}) uint64 {
		h := fnv.New64a()
		h.Write([]byte(state.(string)))
		return h.Sum64()
	},
	Step: func(state, input, output interface{}) (bool, interface{}) {
		s := state.(string)
		in := input.(kvInput)
		out := output.(kvOutput)
		switch in.F {
		case "get":
			return out.Unknown || out.Value == s, s
		case "put":
			return true, in.Value
		default: // append
			return true, s + in.Value
		}
	},
}

func main() {
	var req request
	if err := json.NewDecoder(bufio.NewReader(os.Stdin)).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "porcheck: bad input:", err)
		os.Exit(2)
	}
	model := registerModel
	convert := registerOp
	switch req.Model {
	case "register", "cas-register":
	case "kv":
		model, convert = kvModel, kvOp
	default:
		fmt.Fprintf(os.Stderr, "porcheck: unknown model %q\n", req.Model)
		os.Exit(2)
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for h, raw := range req.Histories {
		ops := make([]porcupine.Operation, len(raw))
		for i, op := range raw {
			var err error
			if ops[i], err = convert(op); err != nil {
				fmt.Fprintf(os.Stderr, "porcheck: history %d op %d: %v\n", h, i, err)
				os.Exit(2)
			}
		}
		start := time.Now()
		res := porcupine.CheckOperationsTimeout(model, ops, time.Duration(req.TimeoutMs)*time.Millisecond)
		ns := time.Since(start).Nanoseconds()
		verdict := map[porcupine.CheckResult]string{porcupine.Ok: "Ok", porcupine.Illegal: "Illegal", porcupine.Unknown: "Unknown"}[res]
		fmt.Fprintf(w, "{\"verdict\":%q,\"ns\":%d}\n", verdict, ns)
	}
}
