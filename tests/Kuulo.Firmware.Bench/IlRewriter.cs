using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Kuulo.Firmware.Bench;

/// <summary>
/// Rewrites an assembly so that every basic block, on entry, reports to <see cref="IlCounters.Block"/> how many IL
/// instructions it holds, how many of them are calls (call, callvirt, newobj) and how many allocate (newobj of a
/// class, newarr, box). A block runs whole once entered (the counted code does not throw in steady state), so
/// the sums are executed instructions, not a sample.
/// </summary>
public sealed class IlRewriter
{
    private readonly List<(string Stage, string Method)> _methods = new();

    public IReadOnlyList<(string Stage, string Method)> Methods => _methods;

    /// <summary>Instruments the methods of types <paramref name="include"/> accepts; returns the rewritten image.</summary>
    public byte[] Rewrite(string path, Func<TypeDefinition, bool> include, string countersAssemblyPath)
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(path)!);
        using var assembly = AssemblyDefinition.ReadAssembly(path, new ReaderParameters { AssemblyResolver = resolver });
        var module = assembly.MainModule;
        MethodReference block;
        if (Path.GetFullPath(countersAssemblyPath) == Path.GetFullPath(path))
        {
            block = module.GetType(typeof(IlCounters).FullName).Methods.Single(m => m.Name == nameof(IlCounters.Block));
        }
        else
        {
            using var counters = AssemblyDefinition.ReadAssembly(countersAssemblyPath);
            block = module.ImportReference(counters.MainModule.GetType(typeof(IlCounters).FullName).Methods.Single(m => m.Name == nameof(IlCounters.Block)));
        }

        foreach (var type in module.GetTypes().Where(include).ToList())
        {
            foreach (var method in type.Methods.Where(m => m.HasBody))
            {
                _methods.Add((Stages.Of(type), type.FullName + "::" + method.Name));
                Instrument(method, _methods.Count - 1, block);
            }
        }

        using var output = new MemoryStream();
        assembly.Write(output);
        return output.ToArray();
    }

    private static void Instrument(MethodDefinition method, int index, MethodReference block)
    {
        var body = method.Body;
        body.SimplifyMacros();
        var instructions = body.Instructions.ToList();
        var leaders = Leaders(body, instructions);
        var il = body.GetILProcessor();
        var entry = new Dictionary<Instruction, Instruction>();
        for (int i = 0; i < instructions.Count; i++)
        {
            if (!leaders.Contains(instructions[i]))
            {
                continue;
            }

            int end = i + 1;
            while (end < instructions.Count && !leaders.Contains(instructions[end]))
            {
                end++;
            }

            var blockInstructions = instructions.Skip(i).Take(end - i).ToList();
            var first = il.Create(OpCodes.Ldc_I4, index);
            il.InsertBefore(instructions[i], first);
            il.InsertBefore(instructions[i], il.Create(OpCodes.Ldc_I4, blockInstructions.Count));
            il.InsertBefore(instructions[i], il.Create(OpCodes.Ldc_I4, blockInstructions.Count(IsCall)));
            il.InsertBefore(instructions[i], il.Create(OpCodes.Ldc_I4, blockInstructions.Count(Allocates)));
            il.InsertBefore(instructions[i], il.Create(OpCodes.Call, block));
            entry[instructions[i]] = first;
        }

        // Jumps and handlers must enter through the counter, not past it.
        foreach (var instruction in body.Instructions)
        {
            if (instruction.Operand is Instruction target && entry.TryGetValue(target, out var counted))
            {
                instruction.Operand = counted;
            }
            else if (instruction.Operand is Instruction[] targets)
            {
                instruction.Operand = targets.Select(t => entry.TryGetValue(t, out var c) ? c : t).ToArray();
            }
        }

        foreach (var handler in body.ExceptionHandlers)
        {
            handler.TryStart = Entry(entry, handler.TryStart);
            handler.TryEnd = Entry(entry, handler.TryEnd);
            handler.HandlerStart = Entry(entry, handler.HandlerStart);
            handler.HandlerEnd = Entry(entry, handler.HandlerEnd);
            handler.FilterStart = Entry(entry, handler.FilterStart);
        }

        body.OptimizeMacros();
    }

    private static Instruction Entry(Dictionary<Instruction, Instruction> entry, Instruction? at) =>
        at != null && entry.TryGetValue(at, out var counted) ? counted : at!;

    private static HashSet<Instruction> Leaders(MethodBody body, List<Instruction> instructions)
    {
        var leaders = new HashSet<Instruction> { instructions[0] };
        for (int i = 0; i < instructions.Count; i++)
        {
            var instruction = instructions[i];
            if (instruction.Operand is Instruction target)
            {
                leaders.Add(target);
            }
            else if (instruction.Operand is Instruction[] targets)
            {
                leaders.UnionWith(targets);
            }

            var flow = instruction.OpCode.FlowControl;
            if ((flow is FlowControl.Branch or FlowControl.Cond_Branch or FlowControl.Return or FlowControl.Throw) && i + 1 < instructions.Count)
            {
                leaders.Add(instructions[i + 1]);
            }
        }

        foreach (var handler in body.ExceptionHandlers)
        {
            foreach (var at in new[] { handler.TryStart, handler.TryEnd, handler.HandlerStart, handler.HandlerEnd, handler.FilterStart })
            {
                if (at != null)
                {
                    leaders.Add(at);
                }
            }
        }

        return leaders;
    }

    private static bool IsCall(Instruction i) => i.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj;

    private static bool Allocates(Instruction i) => i.OpCode.Code switch
    {
        Code.Newarr or Code.Box => true,
        Code.Newobj => !((MethodReference)i.Operand).DeclaringType.IsValueType,
        _ => false,
    };
}
