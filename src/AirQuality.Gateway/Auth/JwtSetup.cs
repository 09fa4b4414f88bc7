using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace AirQuality.Gateway.Auth;

/// <summary>Fills the gateway's <see cref="JwtBearerOptions"/> from Gateway:Auth:Jwt.</summary>
internal static class JwtSetup
{
    public static void Apply(JwtBearerOptions jwt, JwtAuthOptions settings)
    {
        if (!settings.Enabled)
        {
            return;
        }

        jwt.Authority = settings.EffectiveAuthority;
        jwt.Audience = settings.Audience;
        jwt.RequireHttpsMetadata = true;

        // Claims keep their names as issued ("roles", "oid"), so Gateway:Auth:Jwt:RoleClaim means what Entra sends.
        jwt.MapInboundClaims = false;
        var parameters = jwt.TokenValidationParameters;
        parameters.RoleClaimType = settings.RoleClaim;
        parameters.NameClaimType = "name";
        parameters.ValidateIssuer = true;
        parameters.ValidateAudience = true;
        parameters.ValidateLifetime = true;
        parameters.RequireExpirationTime = true;
        parameters.RequireSignedTokens = true;
        if (settings.ValidIssuers.Count > 0)
        {
            parameters.ValidIssuers = [.. settings.ValidIssuers];
        }
    }
}
