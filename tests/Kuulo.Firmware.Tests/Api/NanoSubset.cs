using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kuulo.Firmware.Tests.Api;

/// <summary>
/// What nanoFramework's toolchain and runtime cannot take even when Roslyn compiles it: generics, async, LINQ,
/// iterators, multidimensional arrays, decimal, dynamic, tuples, records, string interpolation, nullable value
/// types, anonymous types, unsafe code, and Enum.ToString() (which prints the number on the device).
/// </summary>
public sealed class NanoSubset : CSharpSyntaxWalker
{
    private readonly SemanticModel _model;
    private readonly List<string> _problems = new();

    private NanoSubset(SemanticModel model) => _model = model;

    public static IReadOnlyList<string> Check(SyntaxTree tree, SemanticModel model)
    {
        var walker = new NanoSubset(model);
        walker.Visit(tree.GetRoot());
        return walker._problems;
    }

    public override void VisitTypeParameterList(TypeParameterListSyntax node) { Refuse(node, "a generic type or method"); base.VisitTypeParameterList(node); }
    public override void VisitGenericName(GenericNameSyntax node) { Refuse(node, "a generic type or method"); base.VisitGenericName(node); }
    public override void VisitAwaitExpression(AwaitExpressionSyntax node) { Refuse(node, "await"); base.VisitAwaitExpression(node); }
    public override void VisitQueryExpression(QueryExpressionSyntax node) { Refuse(node, "a LINQ query"); base.VisitQueryExpression(node); }
    public override void VisitYieldStatement(YieldStatementSyntax node) { Refuse(node, "yield (an iterator)"); base.VisitYieldStatement(node); }
    public override void VisitTupleType(TupleTypeSyntax node) { Refuse(node, "a tuple"); base.VisitTupleType(node); }
    public override void VisitTupleExpression(TupleExpressionSyntax node) { Refuse(node, "a tuple"); base.VisitTupleExpression(node); }
    public override void VisitRecordDeclaration(RecordDeclarationSyntax node) { Refuse(node, "a record"); base.VisitRecordDeclaration(node); }
    public override void VisitInterpolatedStringExpression(InterpolatedStringExpressionSyntax node) { Refuse(node, "string interpolation"); base.VisitInterpolatedStringExpression(node); }
    public override void VisitNullableType(NullableTypeSyntax node) { Refuse(node, "a nullable value type (Nullable<T>)"); base.VisitNullableType(node); }
    public override void VisitAnonymousObjectCreationExpression(AnonymousObjectCreationExpressionSyntax node) { Refuse(node, "an anonymous type"); base.VisitAnonymousObjectCreationExpression(node); }
    public override void VisitPointerType(PointerTypeSyntax node) { Refuse(node, "a pointer"); base.VisitPointerType(node); }
    public override void VisitStackAllocArrayCreationExpression(StackAllocArrayCreationExpressionSyntax node) { Refuse(node, "stackalloc"); base.VisitStackAllocArrayCreationExpression(node); }
    public override void VisitUnsafeStatement(UnsafeStatementSyntax node) { Refuse(node, "unsafe code"); base.VisitUnsafeStatement(node); }

    public override void VisitArrayRankSpecifier(ArrayRankSpecifierSyntax node)
    {
        if (node.Rank > 1)
        {
            Refuse(node, "a multidimensional array");
        }

        base.VisitArrayRankSpecifier(node);
    }

    public override void VisitPredefinedType(PredefinedTypeSyntax node)
    {
        if (node.Keyword.IsKind(SyntaxKind.DecimalKeyword))
        {
            Refuse(node, "decimal");
        }

        base.VisitPredefinedType(node);
    }

    public override void VisitIdentifierName(IdentifierNameSyntax node)
    {
        if (node.Identifier.Text == "dynamic" && _model.GetTypeInfo(node).Type?.TypeKind == TypeKind.Dynamic)
        {
            Refuse(node, "dynamic");
        }

        base.VisitIdentifierName(node);
    }

    private void CheckModifiers(SyntaxNode node, SyntaxTokenList modifiers)
    {
        foreach (var modifier in modifiers)
        {
            if (modifier.IsKind(SyntaxKind.AsyncKeyword))
            {
                Refuse(node, "async");
            }
            else if (modifier.IsKind(SyntaxKind.UnsafeKeyword))
            {
                Refuse(node, "unsafe code");
            }
        }
    }

    public override void VisitMethodDeclaration(MethodDeclarationSyntax node) { CheckModifiers(node, node.Modifiers); base.VisitMethodDeclaration(node); }
    public override void VisitLocalFunctionStatement(LocalFunctionStatementSyntax node) { CheckModifiers(node, node.Modifiers); base.VisitLocalFunctionStatement(node); }
    public override void VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node) { CheckModifiers(node, node.Modifiers); base.VisitParenthesizedLambdaExpression(node); }
    public override void VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node) { CheckModifiers(node, node.Modifiers); base.VisitSimpleLambdaExpression(node); }
    public override void VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node) { CheckModifiers(node, node.Modifiers); base.VisitAnonymousMethodExpression(node); }
    public override void VisitClassDeclaration(ClassDeclarationSyntax node) { CheckModifiers(node, node.Modifiers); base.VisitClassDeclaration(node); }
    public override void VisitStructDeclaration(StructDeclarationSyntax node) { CheckModifiers(node, node.Modifiers); base.VisitStructDeclaration(node); }

    public override void VisitInvocationExpression(InvocationExpressionSyntax node)
    {
        // Enum.ToString() on nanoFramework gives the number, not the name.
        if (node.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "ToString" } access
            && _model.GetTypeInfo(access.Expression).Type?.TypeKind == TypeKind.Enum)
        {
            Refuse(node, "Enum.ToString() (nanoFramework prints the number)");
        }

        base.VisitInvocationExpression(node);
    }

    public override void VisitBinaryExpression(BinaryExpressionSyntax node)
    {
        if (node.IsKind(SyntaxKind.AddExpression)
            && _model.GetTypeInfo(node).Type?.SpecialType == SpecialType.System_String
            && (IsEnum(node.Left) || IsEnum(node.Right)))
        {
            Refuse(node, "an enum concatenated into a string (nanoFramework prints the number)");
        }

        base.VisitBinaryExpression(node);
    }

    private bool IsEnum(ExpressionSyntax expression) => _model.GetTypeInfo(expression).Type?.TypeKind == TypeKind.Enum;

    private void Refuse(SyntaxNode node, string what)
    {
        var span = node.GetLocation().GetLineSpan();
        _problems.Add($"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): nanoFramework cannot take {what}: {Shorten(node.ToString())}");
    }

    private static string Shorten(string text)
    {
        var line = text.Split('\n')[0].Trim();
        return line.Length > 80 ? line[..80] + "..." : line;
    }
}
