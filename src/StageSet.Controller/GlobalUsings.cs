// The API type shares its name with the root namespace; one alias keeps signatures readable.
global using StageSetResource = StageSet.Api.StageSet;
