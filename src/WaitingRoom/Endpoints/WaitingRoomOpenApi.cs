using Microsoft.OpenApi;

namespace Ticketing.WaitingRoom.Endpoints;

/// <summary>The OpenAPI document (<c>/openapi/v1.json</c>) and its Swagger UI (<c>/docs</c>), as the booking API has them.</summary>
internal static class WaitingRoomOpenApi
{
    public const string AdminKeyScheme = "AdminKey";
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddWaitingRoomOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Ticketing Waiting Room";
                document.Info.Description =
                    "Fans join a room's line, poll their status (or follow it as server-sent events) and receive an access pass " +
                    "(ES256 JWS, keys at /.well-known/jwks.json) for the booking API. Admins pace rooms. Errors are RFC 9457 " +
                    "ProblemDetails with a stable `code`.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[AdminKeyScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = AdminEndpoints.AdminKeyHeader,
                    Description = "The admin key (WaitingRoom:AdminKey), checked before the request body is read. Missing: 401 admin-key-missing; wrong: 403 admin-key-invalid.",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.RelativePath?.StartsWith("api/admin", StringComparison.OrdinalIgnoreCase) == true)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(AdminKeyScheme, context.Document)] = [] });
                }

                return Task.CompletedTask;
            });
        });

    /// <summary>Describes the queue ticket a fan sends back (header, or the room's cookie set by join).</summary>
    public static TBuilder WithQueueTicket<TBuilder>(this TBuilder builder, bool required)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = FanEndpoints.TicketHeader,
                In = ParameterLocation.Header,
                Required = false,
                Description = required
                    ? "The ticket from join. May instead come from the room's wr_{roomId} cookie; one of the two is required."
                    : "The ticket from an earlier join, to keep the same place (or the room's wr_{roomId} cookie). Without it a new ticket is issued.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            return Task.CompletedTask;
        });

    /// <summary>Documents the <c>X-Fan-Identity</c> header of a join (required in account rooms).</summary>
    public static TBuilder WithFanIdentity<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = FanEndpoints.IdentityHeader,
                In = ParameterLocation.Header,
                Required = false,
                Description = "The fan identity from the booking API's POST /api/accounts/me/queue-identity (an ES256 JWS for the waiting room). Required in account rooms (the default); ignored in anonymous rooms.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            return Task.CompletedTask;
        });

    /// <summary>Documents the proof-of-work answer a join without a ticket sends in a room that asks for work.</summary>
    public static TBuilder WithProofOfWork<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = ProofOfWork.ProofOfWorkGate.Header,
                In = ParameterLocation.Header,
                Required = false,
                Description = "{challenge}:{nonce}, the challenge from GET /api/rooms/{roomId}/challenge and a nonce solving it. Required for a new place when the room's powDifficulty > 0; each challenge buys one place.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            return Task.CompletedTask;
        });

    /// <summary>Adds the <c>roomId</c> path parameter to an operation whose handler does not bind it (the status RequestDelegate).</summary>
    public static TBuilder WithRoomIdParameter<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var parameter in operation.Parameters)
            {
                if (parameter.Name == "roomId")
                {
                    return Task.CompletedTask;
                }
            }

            operation.Parameters.Insert(0, new OpenApiParameter
            {
                Name = "roomId",
                In = ParameterLocation.Path,
                Required = true,
                Description = "1-64 characters: a-z, 0-9, '-' or '_', not starting with 'pass_'.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            return Task.CompletedTask;
        });

    public static WebApplication MapWaitingRoomDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint(DocumentPath, "Ticketing Waiting Room v1");
            o.DocumentTitle = "Ticketing Waiting Room";
        });
        return app;
    }
}
