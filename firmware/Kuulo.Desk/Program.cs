Console.Error.WriteLine("kuulo-desk: no commands yet");
return 2;
