using Kuulo.Desk.Commands;

// kuulo-desk: the desk unit on a host. Each command lives in Commands/; bad input exits with code 2.
if (args.Contains("--help") || args.Contains("-h"))
{
    Cli.Usage();
    return 0;
}

return args.FirstOrDefault() switch
{
    "analyze" => Cli.Run(() => AnalyzeCommand.Run(args[1..])),
    "eval" => Cli.Run(() => EvalCommand.Run(args[1..])),
    "bench" => Cli.Run(() => BenchCommand.Run(args[1..])),
    "run" => Cli.Run(() => RunCommand.Run(args[1..])),
    _ => Cli.Usage(),
};
